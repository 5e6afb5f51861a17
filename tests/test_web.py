"""The dashboard and the Swagger UI are served from packaged files and load nothing from another host."""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.web import static_dir

REPO = Path(__file__).resolve().parents[1]
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
FETCH = re.compile(r"""fetch\(\s*["'`]([^"'`]+)""")


class Refs(HTMLParser):
    """Every URL a page makes the browser load: script src, link href, img src, iframe src."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if a.get("src"):
                self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.urls.append(a["href"])
        elif tag in ("img", "iframe", "source") and a.get("src"):
            self.urls.append(a["src"])


def refs(html: str) -> Refs:
    p = Refs()
    p.feed(html)
    return p


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(db=":memory:")) as c:
        yield c


@pytest.mark.parametrize("page", ["/", "/docs"])
def test_page_assets_are_local_and_served(client, page):
    resp = client.get(page)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    r = refs(resp.text)
    assert r.urls, "the page references no assets"
    for url in r.urls:
        assert is_local(url), f"{page} loads {url} from another host"
        asset = client.get(urljoin("http://testserver" + page, url))
        assert asset.status_code == 200, url
        assert asset.content, url


def test_index_loads_leaflet_topojson_and_app(client):
    urls = refs(client.get("/").text).urls
    assert urls.index("static/vendor/leaflet/leaflet.js") < urls.index("static/app.js")
    assert "static/vendor/topojson-client/topojson-client.min.js" in urls
    assert client.get("/static/app.js").headers["content-type"].split(";")[0] in (
        "text/javascript", "application/javascript")


def test_css_urls_are_local_files():
    for css in static_dir().rglob("*.css"):
        for url in CSS_URL.findall(css.read_text(encoding="utf-8")):
            if url.startswith(("data:", "#")):  # inline images; IE's url(#default#VML) behaviour
                continue
            assert is_local(url), f"{css.name} loads {url}"
            assert (css.parent / url.split("?")[0].split("#")[0]).is_file(), f"{css.name}: {url} missing"


def test_app_js_fetches_relative_urls_only():
    js = (static_dir() / "app.js").read_text(encoding="utf-8")
    targets = FETCH.findall(js)
    assert targets and all(is_local(t) for t in targets)
    # untrusted article text goes in through textContent only, never parsed as HTML
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", js)


def test_app_js_calls_routes_the_api_has(client):
    js = (static_dir() / "app.js").read_text(encoding="utf-8")
    called = set(re.findall(r"""\bapi\(\s*["'`]([a-z]+)""", js))
    assert {"events", "stats", "incidents"} <= called  # the map draws disasters beside the events
    paths = set(client.get("/openapi.json").json()["paths"])
    missing = {name for name in called if not any(p == f"/api/{name}" or p.startswith(f"/api/{name}/") for p in paths)}
    assert not missing


def test_world_outline_is_topojson_with_countries(client):
    topo = client.get("/static/vendor/world-atlas/countries-50m.json").json()
    assert topo["type"] == "Topology"
    assert len(topo["objects"]["countries"]["geometries"]) > 200


def test_vendor_manifest_names_versions_and_licences():
    vendor = static_dir() / "vendor"
    manifest = json.loads((vendor / "manifest.json").read_text())
    assert set(manifest) == {"leaflet", "topojson-client", "world-atlas", "swagger-ui-dist"}
    package = json.loads((REPO / "web" / "package.json").read_text())
    for name, info in manifest.items():
        assert info["version"] == package["dependencies"][name], name
        assert info["license"] in {"BSD-2-Clause", "ISC", "Apache-2.0"}, name
    for folder in ("leaflet", "topojson-client", "world-atlas", "swagger-ui"):
        assert (vendor / folder / "LICENSE").is_file(), folder


def test_static_files_are_package_data():
    cfg = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "web/static/**/*" in cfg["tool"]["setuptools"]["package-data"]["detente"]


def test_unknown_static_file_is_404(client):
    assert client.get("/static/nope.js").status_code == 404
