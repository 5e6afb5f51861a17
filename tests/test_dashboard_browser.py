"""The dashboard in a real browser (Playwright driving Debian's chromium) at a phone's and a desktop's width.

Served by uvicorn from a linked store with events: every request is local and answered below 400, the console has
no error, the page does not scroll away from the filters, nothing overflows sideways, each part is drawn, and an
unknown filter value is explained. `make test` installs both (scripts/test.sh: chromium with apt, playwright with
the dev extra); elsewhere the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import threading
import time

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[dev]')")


def _chromium() -> str:
    found = os.environ.get("DETENTE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI is set but no chromium: run the suite with `make test` (scripts/test.sh installs it)")
        pytest.skip("no chromium (Debian package `chromium`; `make test` installs it)")
    return found


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    import uvicorn
    from store_fixtures import coded_articles

    from detente.api import create_app
    from detente.link import link_store
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("dash") / "dash.duckdb")
    with open_store(path) as st:
        for c in coded_articles():
            st.write(c)
        link_store(st)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db=path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, base_url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen: dict[str, list] = {"external": [], "failed": [], "console": []}
    page.on("request", lambda r: seen["external"].append(r.url) if not r.url.startswith(base_url) else None)
    page.on("response", lambda r: seen["failed"].append((r.status, r.url)) if r.status >= 400 else None)
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#events tbody tr[data-id]")
    page.wait_for_selector("#dyad-chart svg")
    return page, seen


def _png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


@pytest.mark.parametrize("width", [390, 1440])
def test_dashboard_layout_and_requests(browser, base_url, width, tmp_path):
    page, seen = _open(browser, base_url, width)
    try:
        assert seen["external"] == [] and seen["failed"] == [] and seen["console"] == [], seen
        m = page.evaluate("""() => {
            const f = document.getElementById('filters').getBoundingClientRect();
            const wraps = [...document.querySelectorAll('table')].map((t) => {
                const box = t.closest('.table-wrap') || t.parentElement;
                return [t.id, t.scrollWidth, box.clientWidth];
            });
            return {scrollY: window.scrollY, docWidth: document.documentElement.scrollWidth,
                    viewWidth: document.documentElement.clientWidth, filtersTop: f.top, filtersBottom: f.bottom,
                    wraps};
        }""")
        assert m["scrollY"] == 0, "the page scrolled away from the filters on load"
        assert 0 <= m["filtersTop"] and m["filtersBottom"] <= 900, m
        assert m["docWidth"] <= m["viewWidth"], f"the page overflows sideways at {width} px: {m}"
        for table_id, table_width, box_width in m["wraps"]:
            assert table_width <= box_width + 1, f"table #{table_id} overflows its box at {width} px: {m}"
        for sel in ("#filters button[type=submit]", "#map path.leaflet-interactive", "#timeline svg",
                    "#events tbody tr[data-id]", "#article mark, #article span.m-evidence", "#top-dyads tbody tr",
                    "#dyad-chart svg"):
            assert page.locator(sel).first.is_visible(), f"{sel} is not visible at {width} px"
        assert page.locator("#map path").count() > 100  # the country outlines
        assert "2024-01" in page.locator("#events").inner_text()  # a month-precision event shown as a month
        shot = page.screenshot(path=str(tmp_path / f"dashboard-{width}.png"), full_page=True)
        assert _png_width(shot) == width  # nothing wider than the viewport was drawn
    finally:
        page.close()


def test_unknown_filter_value_is_explained_on_the_page(browser, base_url):
    page, seen = _open(browser, base_url, 390)
    try:
        page.fill("#filters input[name=country]", "Atlantis")
        page.click("#filters button[type=submit]")
        page.wait_for_selector("#events td.error")
        text = page.locator("#events td.error").inner_text()
        assert "not a country" in text and "ISO 3166-1 alpha-3" in text
        page.fill("#filters input[name=country]", "Kenya")  # a name is accepted
        page.click("#filters button[type=submit]")
        page.wait_for_selector("#events tbody tr[data-id]")
        assert "KEN" in page.locator("#events").inner_text() or "Kenya" in page.locator("#events").inner_text()
        assert seen["failed"] and {s for s, _ in seen["failed"]} == {422}  # the API said why, and the page showed it
        assert all("422" in msg for msg in seen["console"]), seen["console"]  # the browser logs each 422, no more
    finally:
        page.close()
