"""graph.html in a real browser: Debian chromium driven by Playwright.

Never `playwright install`: the browser is the system's /usr/bin/chromium
(.ci/install-system-deps.sh installs it in CI, where a missing browser fails
the test instead of skipping it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.sinks.html import write_html
from servers import CHROMIUM, CHROMIUM_ARGS, big_nxgraph, need, playwright_sync_api, sample_nxgraph

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = playwright_sync_api()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


class PageWatch:
    """Everything a page did that it must not: requests, console errors, dialogs, page errors."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


def open_page(browser, path: Path, *, timeout_ms: int = 60_000):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fa-IR")
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(path.as_uri(), wait_until="load", timeout=timeout_ms)
    page.wait_for_selector("body[data-kg-state=ready]", state="attached", timeout=timeout_ms)
    return context, page, watch


def canvas_is_drawn(page) -> bool:
    """True when the network canvas has pixels of several colours (not blank)."""
    return page.evaluate(
        """() => {
        const c = document.querySelector('#kg-network canvas');
        const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) {
            if (d[i + 3] > 0) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
            if (seen.size > 4) return true;
        }
        return false;
    }"""
    )


def test_seed_graph_draws_offline_without_errors(browser, tmp_path):
    graph = sample_nxgraph(hostile=True)
    path = tmp_path / "graph.html"
    write_html(graph, path, title="آزمون </title><script>alert(2)</script>")
    context, page, watch = open_page(browser, path)
    try:
        counts = page.evaluate(
            "() => [kgNetwork.body.data.nodes.length, kgNetwork.body.data.edges.length,"
            " Object.keys(kgNetwork.body.nodes).length]"
        )
        assert counts[0] == graph.number_of_nodes()
        assert counts[1] == graph.number_of_edges()
        assert counts[2] >= graph.number_of_nodes()
        assert canvas_is_drawn(page)
        # physics has settled and is off, so the page stays responsive
        assert page.evaluate("() => kgNetwork.physics.physicsEnabled") is False
        # legend and filter were built from the data
        assert page.locator("#kg-legend .kg-legend-item").count() == 6
        assert "مرتضی حیدری" in page.locator("#kg-filter").inner_text()
        assert page.title().startswith("آزمون </title>")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "graph-seed.png"))
    finally:
        context.close()
    assert watch.outside_requests() == [], watch.outside_requests()
    assert watch.dialogs == [], "a label ran script"
    assert watch.errors == [], watch.errors


def test_hostile_text_stays_text(browser, tmp_path):
    path = tmp_path / "graph.html"
    write_html(sample_nxgraph(hostile=True), path)
    context, page, watch = open_page(browser, path)
    try:
        assert page.locator("img").count() == 0  # the <img> of the label was never parsed as markup
        # the tooltip of the hostile person shows its text literally
        title = page.evaluate(
            "() => { const n = kgNetwork.body.data.nodes.get().find(n => n.kgType === 'person'"
            " && n.title.textContent.includes('onerror')); return n.title.textContent; }"
        )
        assert "<img src=x onerror=alert(1)>" in title
        options = page.locator("#kg-filter option").all_inner_texts()
        assert any(o.startswith("</script><img") for o in options)
    finally:
        context.close()
    assert watch.dialogs == []
    assert watch.outside_requests() == []


def test_filter_by_person_hides_the_rest(browser, tmp_path):
    path = tmp_path / "graph.html"
    graph = sample_nxgraph()
    write_html(graph, path)
    context, page, watch = open_page(browser, path)
    try:
        value = page.evaluate(
            "() => [...document.querySelectorAll('#kg-filter option')].find(o => o.textContent.startsWith('علی اکبر')).value"
        )
        page.select_option("#kg-filter", value)
        visible = page.evaluate("() => kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).length")
        # the person, their post, their one claim (1 step) and the agency, article, place, other edges (2 steps)
        assert 3 < visible < graph.number_of_nodes()
        page.select_option("#kg-filter", "")
        assert page.evaluate("() => kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).length") == graph.number_of_nodes()
    finally:
        context.close()
    assert watch.errors == []


@pytest.mark.slow
def test_two_thousand_nodes_settle_and_stop(browser, tmp_path):
    import time

    path = tmp_path / "graph.html"
    graph = big_nxgraph(2000)
    write_html(graph, path)
    start = time.monotonic()
    context, page, watch = open_page(browser, path, timeout_ms=120_000)
    try:
        settled = time.monotonic() - start
        assert page.evaluate("() => kgNetwork.body.data.nodes.length") == 2000
        assert page.evaluate("() => kgNetwork.physics.physicsEnabled") is False
        assert canvas_is_drawn(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "graph-2000.png"))
        print(f"2000 nodes / {graph.number_of_edges()} edges settled in {settled:.1f} s")
        assert settled < 90
    finally:
        context.close()
    assert watch.outside_requests() == []
    assert watch.errors == []
