"""The page in a real browser: Debian's Chromium, headless, network off (issue 5).

Screenshots are saved under tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.extract.references import extract_references
from kg.read import read_document
from kg.view.network import citation_network, cocitation_network, network_stats
from kg.view.page import cocitation_page, corpus_page, document_page

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def network(seed_references):
    return citation_network(seed_references.values())


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed; .ci/run installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def open_page(browser, html: str, tmp_path: Path, name: str):
    """Open a page offline; returns the page, console errors and failed or refused requests."""
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))

    def offline(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            failed.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(path.as_uri())
    page.wait_for_function("window.kgReady === true", timeout=60_000)
    return page, errors, failed


def drawn(page) -> tuple[int, int]:
    return (page.evaluate("window.kgNetwork.body.data.nodes.length"),
            page.evaluate("window.kgNetwork.body.data.edges.length"))


def assert_usable(page) -> None:
    assert page.locator("#legend-types .row").count() >= 2
    assert page.locator("input.type-filter").count() >= 2
    assert page.locator("#doc-filter").count() == 1
    assert page.locator("#search").count() == 1


def test_corpus_page_draws_the_whole_graph_offline(browser, network, tmp_path):
    page, errors, failed = open_page(browser, corpus_page(network), tmp_path, "graph")
    assert errors == [] and failed == []
    assert drawn(page) == (network.number_of_nodes(), network.number_of_edges())
    assert_usable(page)
    # searching an acronym selects its node
    selected = page.evaluate("window.kgSearch('UNTOC')")
    assert selected == ["https://w3id.org/un-kg/entity/treaty/UNTOC"]
    assert "United Nations Convention against Transnational Organized Crime" in page.inner_text("#info")
    # an ILO instrument offers its NORMLEX page
    page.evaluate("window.kgSearch('C029')")
    link = page.locator("#authority-link")
    assert "normlex.ilo.org" in link.get_attribute("href")
    # the type filter hides a type
    page.locator("input.type-filter[data-type='ilo']").uncheck()
    hidden = page.evaluate("window.kgNetwork.body.data.nodes.get({filter: n => n.hidden}).length")
    assert hidden == sum(1 for _n, d in network.nodes(data=True) if d.get("type") == "ilo") > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.kgNetwork.fit()")
    page.screenshot(path=str(ARTIFACTS / "graph.png"))


def test_one_document_view(browser, network, tmp_path):
    doc = next(n for n, d in network.nodes(data=True) if d.get("id") == "A/RES/75/158")
    page, errors, failed = open_page(browser, document_page(network, doc), tmp_path, "doc")
    assert errors == [] and failed == []
    assert drawn(page) == (1 + network.out_degree(doc), network.out_degree(doc))
    assert_usable(page)
    assert page.evaluate("window.kgSearch('CEDAW')") == ["https://w3id.org/un-kg/entity/treaty/CEDAW"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "document.png"))


def test_cocitation_view(browser, network, tmp_path):
    co = cocitation_network(network)
    page, errors, failed = open_page(browser, cocitation_page(co), tmp_path, "co")
    assert errors == [] and failed == []
    assert drawn(page) == (co.number_of_nodes(), co.number_of_edges())
    assert_usable(page)
    assert page.evaluate("window.kgSearch('UNTOC')") == ["https://w3id.org/un-kg/entity/treaty/UNTOC"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cocitation.png"))


def test_script_in_a_document_renders_as_text(browser, tmp_path):
    # HTML tags are stripped by the reader, entities are not: these reach the page as "<script>..."
    text = ("The General Assembly,\n\n"
            "Recalling the Convention on the Rights of the Child &lt;script&gt;window.kgXss = 1&lt;/script&gt;,\n\n"
            "1. Urges States to ratify the Convention against Torture and Other Cruel, Inhuman or Degrading "
            "Treatment or Punishment &lt;img src=x onerror=\"window.kgXss = 2\"&gt; and "
            "&lt;/script&gt;&lt;script&gt;window.kgXss=3&lt;/script&gt;;\n")
    path = tmp_path / "evil.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    g = citation_network(extract_references([doc]))
    node = next(n for n, d in g.nodes(data=True) if d.get("kind") == "document")
    page, errors, failed = open_page(browser, document_page(g, node), tmp_path, "evil")
    assert page.evaluate("window.kgXss") is None
    assert errors == [] and failed == []
    # the clause text is in the edge's hover text, as text
    titles = page.evaluate("window.kgNetwork.body.data.edges.get().map(e => e.title).join(' ')")
    assert "<script>window.kgXss = 1</script>" in titles
    assert '<img src=x onerror="window.kgXss = 2">' in titles
    # the text went nowhere as markup: no injected image, no extra script element
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.scripts.length") == 3


def test_kg_build_writes_the_pages(tmp_path):
    from kg.cli import main

    assert main(["build", "-o", str(tmp_path)]) == 0
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "cdn" not in html.lower().replace("cdnjs", "cdn") or "https://cdn" not in html
    assert "<script src=" not in html and "<link rel=\"stylesheet\" href=" not in html
    assert (tmp_path / "cocitation.html").exists()


def test_stats_on_the_seeds(network, capsys):
    st = network_stats(network)
    treaties = {network.nodes[n]["id"]: v for n, v in st.cited_by.items() if network.nodes[n]["type"] == "treaty"}
    top = max(treaties.values())
    assert top == 5
    assert {t for t, v in treaties.items() if v == top} == {"UNTOC", "OP-CRC-SC", "UNTOC-TIP-PROTOCOL"}
    # the Council's draft of 2020 (000) and its resolution 53/9 of 2023 cite nearly the same things
    # (sponsor States, being no citations, no longer count towards it)
    assert st.similar[0][2] == pytest.approx(0.833, abs=0.001)
    ids = {network.nodes[n]["id"] for n in (st.similar[0][0], st.similar[0][1])}
    assert ids == {"000_3ef6cbfb4c01fd0c", "A/HRC/RES/53/9"}
    assert any({"UNTOC", "UNTOC-TIP-PROTOCOL"} <= {network.nodes[n]["id"] for n in c} for c in st.communities)
    from kg.cli import main

    assert main(["stats", "--format", "json"]) == 0
    assert '"UNTOC"' in capsys.readouterr().out
