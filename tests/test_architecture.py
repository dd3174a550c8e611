"""The tree is the data flow (issue 9): stages without import cycles, cheap commands, one list of types.

read -> extract (find, link) -> graph -> query / view / export, each a package
of kg/; the records between them in kg/models.py; the rules in kg/data,
opened through kg/lexicon.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.graph.vocab import KG
from kg.lexicon.registry import INSTRUMENT_TYPES, TYPES, reference_types

ROOT = Path(__file__).resolve().parent.parent
KG_DIR = ROOT / "kg"
STAGES = ("read", "extract", "lexicon", "graph", "view", "serve", "cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    """The kg modules a module imports when it is imported (imports inside functions are lazy)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kg"))
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
    return found


def test_the_stages_are_packages():
    for stage in STAGES:
        assert (KG_DIR / stage / "__init__.py").is_file(), stage
    flat = sorted(p.name for p in KG_DIR.glob("*.py"))
    # beside the stages only what every stage shares: records, errors, the time budget of a document
    assert flat == ["__init__.py", "__main__.py", "deadline.py", "errors.py", "models.py", "version.py"]


def test_no_import_cycle():
    modules = {_module_name(p): p for p in KG_DIR.rglob("*.py")}
    graph = {name: {m for m in _top_level_imports(p) if m in modules and m != name} for name, p in modules.items()}
    # a package imports its own modules in __init__; count an import of kg.x.y as one of kg.x too
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_only_the_lexicon_opens_the_rules():
    for path in KG_DIR.rglob("*.py"):
        if "lexicon" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'/\s*"(?:patterns|registry)"', text), f"{path} opens kg/data rules itself"


def _loaded_modules(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


@pytest.mark.parametrize("args", [["--help"], ["query", "--list"]])
def test_the_light_commands_never_load_spacy_networkx_or_pyvis(args):
    loaded = _loaded_modules(f"from kg.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass")
    assert not loaded & {"spacy", "networkx", "pyvis"}


def test_querying_a_saved_graph_never_loads_spacy(tmp_path):
    from kg.cli import main

    assert main(["build", str(ROOT / "kg" / "data" / "corpus" / "003_5b62957dab871e33.txt"), "-o", str(tmp_path),
                 "--no-validate"]) == 0
    graph = tmp_path / "graph.nt"
    loaded = _loaded_modules(f"from kg.cli import main\nmain(['query', 'protocols', '--graph', {str(graph)!r}])")
    assert not loaded & {"spacy", "networkx", "pyvis"}


def test_the_types_are_defined_once_and_everything_agrees():
    assert len(TYPES) == len(set(TYPES)) == 10
    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    listed = re.search(r"kg:referenceType[^)]*sh:in \(([^)]*)\)", shapes).group(1)
    assert re.findall(r'"(\w+)"', listed) == list(TYPES)
    ontology = Graph().parse(ROOT / "ontology" / "kg.ttl")
    for t in reference_types():
        assert (URIRef(KG[t["class"]]), RDF.type, OWL.Class) in ontology, t["class"]
    from kg.view.page import TYPE_STYLE

    assert {("document" if k == "document-cited" else k) for k in TYPE_STYLE} >= set(TYPES)
    for rq in (ROOT / "queries").glob("*.rq"):
        for listed in re.findall(r"IN \(([^)]*)\)", rq.read_text(encoding="utf-8")):
            values = re.findall(r'"(\w+)"', listed)
            if "type" in listed or not values:
                continue
            assert set(values) <= set(TYPES), rq.name
            if "treaty" in values:  # the list of instrument types
                assert tuple(values) == INSTRUMENT_TYPES, rq.name


def test_the_vocabulary_module_matches_the_ontology_exactly():
    ontology = Graph().parse(ROOT / "ontology" / "kg.ttl")
    ns = str(KG._NS)
    declared = {str(s)[len(ns):] for s in ontology.subjects(RDF.type, None) if str(s).startswith(ns) and
                str(s) != ns}
    in_code = set(KG.__annotations__)
    assert in_code == declared, (sorted(in_code - declared), sorted(declared - in_code))


def test_a_resolver_can_be_swapped():
    from test_extract import refs_of

    from kg.extract.link import RESOLVERS
    from kg.extract.references import extract_references

    assert "symbol" in RESOLVERS
    doc_refs = refs_of("Recalling its resolution 68/192 and the Convention on the Rights of the Child,")
    assert {r.type for r in doc_refs} >= {"resolution", "treaty"}
    doc = refs_of.__globals__["Document"]  # the same made-up document, linked with no symbols resolved
    text = "Recalling its resolution 68/192 and the Convention on the Rights of the Child,"
    clause = refs_of.__globals__["Clause"]("op1", "operative", refs_of.__globals__["MappedText"](
        text, list(range(len(text)))), verb="urges")
    made = doc("t.txt", "text", text, refs_of.__globals__["Metadata"](body="GA"), [clause], [])
    refs = next(extract_references([made], resolvers={"symbol": lambda linker, m: []}))[1]
    assert {r.type for r in refs} == {"treaty"}


def test_every_record_says_which_pattern_found_it(seed_references):
    patterns = json.loads("[" + ",".join((KG_DIR / "data" / "patterns" / "references.jsonl").read_text(
        encoding="utf-8").splitlines()) + "]")
    known = {p["id"] for p in patterns} | {"registry-name", "registry-acronym", "state-name", "name-shape",
                                           "ibid", "footnote-instrument", "sponsor"}
    for _doc, refs in seed_references.values():
        for r in refs:
            assert r.to_record().get("pattern") in known or r.method == "sponsor", r


def test_the_query_library_prefixes_are_the_graphs():
    """Each .rq file carries its PREFIX lines, so that any SPARQL endpoint runs it as it is; they must be kg's."""
    from kg.graph.vocab import PREFIXES

    for rq in (ROOT / "queries").glob("*.rq"):
        for prefix, iri in re.findall(r"^PREFIX\s+(\w*):\s*<([^>]+)>", rq.read_text(encoding="utf-8"), re.M):
            assert PREFIXES.get(prefix) == iri, (rq.name, prefix)
