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
CHARTS = ["citations_over_time", "ratification_urged", "body_instrument_heatmap"]
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


def test_corpus_page_groups_documents_by_body_and_year_offline(browser, network, tmp_path):
    page, errors, failed = open_page(browser, corpus_page(network), tmp_path, "graph")
    assert errors == [] and failed == []
    docs = [d for _n, d in network.nodes(data=True) if d.get("kind") == "document"]
    groups = {(d["body"], d["year"] or "undated") for d in docs}
    cited = [n for n in network.nodes if network.in_degree(n) > 0]
    # a node a group and a cited entity, and every document (drawn when picked)
    assert drawn(page)[0] == len(groups) + len(cited) + len(docs)
    group_nodes = "window.kgNetwork.body.data.nodes.get({filter: n => n.kgType === 'group'}).length"
    assert page.evaluate(group_nodes) == len(groups)
    assert_usable(page)
    # searching an acronym selects its node
    selected = page.evaluate("window.kgSearch('UNTOC')")
    assert selected == ["https://w3id.org/un-kg/entity/treaty/UNTOC"]
    assert "United Nations Convention against Transnational Organized Crime" in page.inner_text("#info")
    # a common alias the registry knows, and an ILO number written without its zero
    assert page.evaluate("window.kgSearch('Palermo Protocol')") == [
        "https://w3id.org/un-kg/entity/treaty/UNTOC-TIP-PROTOCOL"]
    assert page.evaluate("window.kgSearch('C29')") == ["https://w3id.org/un-kg/entity/ilo/C029"]
    link = page.locator("#authority-link")
    assert "normlex.ilo.org" in link.get_attribute("href")
    # no match clears the selection and the panel
    assert page.evaluate("window.kgSearch('no such thing at all')") == []
    assert page.inner_text("#search-result") == "No match."
    assert page.inner_text("#info") == "Click a node, or search."
    # the type filter hides a type
    page.locator("input.type-filter[data-type='ilo']").uncheck()
    hidden = page.evaluate("window.kgNetwork.body.data.nodes.get({filter: n => n.hidden && n.kgType === 'ilo'}).length")
    assert hidden == sum(1 for _n, d in network.nodes(data=True) if d.get("type") == "ilo") > 0
    page.locator("input.type-filter[data-type='ilo']").check()
    # one document: its node, what it cites, its sponsors apart from its citations
    doc = next(n for n, d in network.nodes(data=True) if d.get("id") == "000_3ef6cbfb4c01fd0c")
    page.evaluate("window.kgSearch('000_3ef6cbfb4c01fd0c')")
    visible = page.evaluate("window.kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert set(visible) == {"doc " + doc, *network.successors(doc)}
    info = page.inner_text("#info")
    assert f"Cites {network.out_degree(doc)}" in info
    sponsors = network.nodes[doc]["sponsors"]
    assert len(sponsors) > 10 and f"Sponsors ({len(sponsors)}), not citations" in info and "Sweden" in info
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-document.png"))


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
    # the clause text is in the node's panel, as text
    page.evaluate("window.kgSearch('CAT')")
    page.evaluate("window.kgSearch('CRC')")
    panel = page.inner_text("#info")
    assert "<script>window.kgXss = 1</script>" in panel
    page.evaluate("window.kgSearch('CAT')")
    assert '<img src=x onerror="window.kgXss = 2">' in page.inner_text("#info")
    assert page.evaluate("window.kgXss") is None
    # the text went nowhere as markup: no injected image, no extra script element
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.scripts.length") == 3


def test_kg_build_writes_the_pages_and_charts(tmp_path, monkeypatch):
    from kg.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["build", "-o", "out"]) == 0
    html = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert "cdn" not in html.lower().replace("cdnjs", "cdn") or "https://cdn" not in html
    assert "<script src=" not in html and "<link rel=\"stylesheet\" href=" not in html
    assert (tmp_path / "out" / "cocitation.html").exists()
    # the charts are files of the build, and inside the page
    assert sorted(p.name for p in (tmp_path / "out" / "charts").iterdir()) == sorted(
        f"{name}.{fmt}" for name in CHARTS for fmt in ("png", "svg"))
    assert html.count("data:image/svg+xml;base64,") == len(CHARTS)


def test_kg_stats_writes_the_same_charts_twice(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    from kg.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["stats", "--charts", "one"]) == 0
    assert main(["stats", "--charts", "two"]) == 0
    for name in CHARTS:
        png, svg = (tmp_path / "one" / f"{name}.png").read_bytes(), (tmp_path / "one" / f"{name}.svg").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        for fmt in ("png", "svg"):
            one, two = tmp_path / "one" / f"{name}.{fmt}", tmp_path / "two" / f"{name}.{fmt}"
            assert one.read_bytes() == two.read_bytes()
    # the ratification chart names the treaties the seeds urge States to ratify
    text = (tmp_path / "one" / "ratification_urged.svg").read_text(encoding="utf-8")
    assert "UNTOC" in text and "Instruments most often urged for ratification" in text


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


# -- 500 corpus documents, as a user builds them ------------------------------------------

CONTRAST_JS = """() => {
  const rgb = s => { const m = s && s.match(/rgba?\\(([^)]+)\\)/); return m ? m[1].split(',').map(parseFloat) : null; };
  const background = e => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && (c.length < 4 || c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode, e = t.parentElement;
    if (!t.textContent.trim() || e.closest('script, style, datalist')) continue;
    const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    if (!r.width || !r.height || cs.visibility === 'hidden') continue;
    out.push([t.textContent.trim().slice(0, 40), rgb(cs.color), background(e)]);
  }
  for (const e of document.querySelectorAll('input[type=search], input[type=number], select')) {
    out.push(['control ' + e.id, rgb(getComputedStyle(e).color), background(e)]);
    const hint = getComputedStyle(e, '::placeholder').color;
    if (e.placeholder) out.push(['placeholder ' + e.id, rgb(hint), background(e)]);
  }
  return out;
}"""
LABELS_JS = """() => window.kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => {
  const o = window.kgNetwork.body.nodes[n.id].options;
  return [n.id, o.shape, o.color.background, o.font.color, o.font.strokeWidth, o.font.strokeColor];
})"""
INSIDE = {"box", "ellipse", "circle", "database", "text"}  # vis-network draws these labels on the node


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _ratio(a: list[float], b: list[float]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _hex(colour: str) -> list[float]:
    h = colour.lstrip("#")
    return [int(h[i: i + 2], 16) for i in (0, 2, 4)]


@pytest.fixture(scope="module")
def build500(tmp_path_factory):
    import os

    from conftest import CORPUS

    from kg.cli import main

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    every = sorted([*(CORPUS / "unxml-ga").glob("*.txt"), *(CORPUS / "unxml-ecosoc").glob("*.txt")])
    root = tmp_path_factory.mktemp("corpus500")
    docs = root / "docs"
    docs.mkdir()
    for i in range(500):
        source = every[int(i * len(every) / 500)]
        (docs / source.name).symlink_to(source)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(["build", str(docs), "-o", str(root / "out")]) == 0
    finally:
        os.chdir(cwd)
    return root / "out"


@pytest.mark.corpus
def test_a_500_document_page_is_readable_and_answers(browser, build500, tmp_path):
    import pyoxigraph

    from kg.view.network import graph_network

    g = graph_network(pyoxigraph.Store.read_only(str(build500 / "store")))
    assert sum(1 for _n, d in g.nodes(data=True) if d.get("kind") == "document") == 500
    page, errors, failed = open_page(browser, (build500 / "graph.html").read_text(encoding="utf-8"), tmp_path, "g500")
    assert errors == [] and failed == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-500.png"))

    # the 20 most cited entities carry a label of at least 12 px, inside the view, at load
    counts = {n: g.in_degree(n) for n in g.nodes if g.in_degree(n) > 0}
    top = sorted(counts, key=lambda n: (-counts[n], g.nodes[n]["id"]))[:20]
    labelled = {x["id"]: x for x in page.evaluate("window.kgLabelled()")}
    for n in top:
        assert n in labelled, g.nodes[n]["id"]
        assert labelled[n]["px"] >= 12 and labelled[n]["inView"], labelled[n]

    # every text colour of the page against its background, and every drawn label against what is behind it
    for text, colour, background in page.evaluate(CONTRAST_JS):
        assert _ratio(colour, background) >= 4.5, (text, colour, background)
    for node, shape, fill, font, stroke, stroke_colour in page.evaluate(LABELS_JS):
        behind = fill if shape in INSIDE else (stroke_colour if stroke >= 2 else "#ffffff")
        assert _ratio(_hex(font), _hex(behind)) >= 4.5, (node, shape, fill, font)

    # search by an alias, and by the canonical id, of the most cited treaty that has an alias
    treaty = next(n for n in sorted(counts, key=lambda n: (-counts[n], n)) if g.nodes[n].get("type") == "treaty"
                  and [a for a in g.nodes[n]["names"] if a not in (g.nodes[n]["label"], g.nodes[n]["id"])])
    alias = next(a for a in g.nodes[treaty]["names"] if a not in (g.nodes[treaty]["label"], g.nodes[treaty]["id"]))
    assert page.evaluate(f"window.kgSearch({alias!r})") == [treaty]
    assert page.evaluate(f"window.kgSearch({g.nodes[treaty]['id']!r})") == [treaty]

    # its panel lists the documents citing it, each with the text of its citing clause
    rows = page.locator("#citing .cite")
    assert rows.count() == min(40, counts[treaty])
    assert f"Cited by {counts[treaty]} documents" in page.inner_text("#citing-heading")
    texts = {g.nodes[d]["id"]: [" ".join(m["text"].split())[:60] for m in g.edges[d, treaty]["mentions"] if m["text"]]
             for d in g.predecessors(treaty)}
    for i in range(min(5, rows.count())):
        row = rows.nth(i).inner_text()
        symbol = row.split()[0]
        assert any(t in " ".join(row.split()) for t in texts[symbol]), row
    assert page.locator("#citing .cite a").first.get_attribute("href").startswith("https://undocs.org/")
    page.screenshot(path=str(ARTIFACTS / "graph-500-panel.png"))

    # "no match" clears the selection
    assert page.evaluate("window.kgSearch('nothing is called this')") == []
    assert page.inner_text("#info") == "Click a node, or search."

    # the filters: one body, then one year, leave only its groups
    page.select_option("#body-filter", "ECOSOC")
    groups = page.evaluate("window.kgNetwork.body.data.nodes.get({filter: n => !n.hidden && n.kgType === 'group'})"
                           ".map(n => n.kgBody)")
    assert groups and set(groups) == {"ECOSOC"}
    page.select_option("#body-filter", "")

    # the charts of kg stats are in the page
    page.evaluate("window.kgTab('charts')")
    images = page.locator("#charts img")
    assert images.count() == 3
    assert all(images.nth(i).evaluate("i => i.complete && i.naturalWidth > 300") for i in range(3))
    for text, colour, background in page.evaluate(CONTRAST_JS):
        assert _ratio(colour, background) >= 4.5, (text, colour, background)
    page.screenshot(path=str(ARTIFACTS / "charts-500.png"), full_page=True)
