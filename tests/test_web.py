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


# --- every request app.js makes succeeds against a real store (issue 13) ----------------------------------------
# app.js calls the API only through api(path, params). Each call is read from the source: constants (MAP_LIMIT …)
# are looked up, the page's state is filled from SAMPLES, and the request is made against a store with events.
# An expression the table does not know fails the test, so a new call cannot go unchecked.

FILTER_SETS = [
    {},  # the first load
    {"country": "PAK,IRN", "type": "ASSAULT", "since": "2024-01-01", "until": "2024-12-31", "actor": "police",
     "text": "attack", "canonical": True},
    {"country": "KENYA"},  # readFilters upper-cases what is typed; names are accepted
]


def _samples(filters: dict, article_id: str) -> dict[str, object]:
    return {
        "state.filters": filters, "f.country": filters.get("country"), "f.since": filters.get("since"),
        "f.until": filters.get("until"), "state.filters.since": filters.get("since"),
        "state.filters.until": filters.get("until"), "state.offset": 100,
        "form.freq.value": "W", "form.directed.checked": True,
        "ev.article_id": article_id, "a": "PAK", "b": "IRN",
    }


def _split_top(text: str, sep: str = ",") -> list[str]:
    """``text`` split at ``sep`` outside brackets and string literals."""
    parts, depth, quote, cur = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def _api_calls(js: str) -> list[tuple[str, str | None]]:
    """(path expression, params expression or None) of every ``api(...)`` call (not the definition)."""
    calls = []
    for m in re.finditer(r"(?<![\w.])api\(", js):
        if js[max(0, m.start() - 9):m.start()].endswith("function "):
            continue
        depth, i = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(js[i], 0)
            i += 1
        args = _split_top(js[m.end():i - 1])
        calls.append((args[0], args[1] if len(args) > 1 else None))
    return calls


def _value(expr: str, js: str, samples: dict[str, object]) -> object:
    expr = expr.strip()
    wrapped = re.fullmatch(r"encodeURIComponent\((.+)\)", expr)
    if wrapped:
        from urllib.parse import quote

        return quote(str(_value(wrapped.group(1), js, samples)), safe="")
    if re.fullmatch(r"-?\d+(\.\d+)?", expr):
        return float(expr) if "." in expr else int(expr)
    if expr in ("true", "false"):
        return expr == "true"
    if expr[0] in "\"'" and expr[-1] == expr[0]:
        return expr[1:-1]
    if expr in samples:
        return samples[expr]
    const = re.search(rf"\bconst {re.escape(expr)} = ([^;]+);", js)
    if const:
        value = const.group(1).strip()
        return _object(value, js, samples) if value.startswith("{") else _value(value, js, samples)
    raise AssertionError(f"app.js passes {expr!r} to the API: add a sample value for it to this test")


def _object(expr: str, js: str, samples: dict[str, object]) -> dict[str, object]:
    if not expr.startswith("{"):
        value = _value(expr, js, samples)
        assert isinstance(value, dict), expr
        return dict(value)
    out: dict[str, object] = {}
    for item in _split_top(expr[1:-1]):
        if item.startswith("..."):
            out.update(_object(item[3:], js, samples))
        else:
            key, _, val = item.partition(":")
            out[key.strip()] = _value(val, js, samples)
    return out


def _path(expr: str, js: str, samples: dict[str, object]) -> str:
    if expr.startswith("`"):
        return re.sub(r"\$\{([^}]+)\}", lambda m: str(_value(m.group(1), js, samples)), expr[1:-1])
    return "".join(str(_value(p, js, samples)) for p in _split_top(expr, "+"))


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    from store_fixtures import coded_articles

    from detente.link import link_store
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("web") / "web.duckdb")
    with open_store(path) as st:
        for c in coded_articles():
            st.write(c)
        link_store(st)
        article_id = st.articles()[0].id
    with TestClient(create_app(db=path)) as c:
        yield c, article_id


def test_every_request_app_js_makes_succeeds(filled):
    client, article_id = filled
    js = (static_dir() / "app.js").read_text(encoding="utf-8")
    calls = _api_calls(js)
    assert len(calls) >= 8 and {"events", "incidents", "timeline", "stats", "dyads"} <= {
        _path(p, js, _samples({}, article_id)).split("/")[0] for p, _ in calls}
    for filters in FILTER_SETS:
        samples = _samples(filters, article_id)
        for path_expr, params_expr in calls:
            params = _object(params_expr, js, samples) if params_expr else {}
            # query() in app.js drops "", null, undefined and false
            params = {k: ("true" if v is True else v) for k, v in params.items() if v not in ("", None, False)}
            resp = client.get("/api/" + _path(path_expr, js, samples), params=params)
            assert resp.status_code == 200, (path_expr, params, resp.text)


def test_the_call_reader_sees_a_limit_the_api_refuses(filled):
    client, article_id = filled
    js = 'const MAP_LIMIT = 2000;\nconst rows = await api("incidents", { country: f.country, limit: MAP_LIMIT });'
    [(path, params)] = _api_calls(js)
    resp = client.get("/api/" + _path(path, js, {}), params={"limit": _object(params, js, {"f.country": None})["limit"]})
    assert resp.status_code == 422  # the bug of issue 13: the check above would have caught it
