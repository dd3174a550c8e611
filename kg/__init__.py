"""kg: UN resolutions into a linked-data knowledge graph.

The pipeline, one public function a stage::

    read_document -> extract_references -> build_graph -> run_query
                                                       -> citation_network -> corpus_page / network_stats

The names below are imported when first used (PEP 562), so ``import kg``
stays cheap: spaCy, rdflib, networkx and pyvis load only with the stage
that needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from kg.version import __version__

_WHERE = {
    "read_document": "kg.read", "bundled_corpus": "kg.read",
    "extract_references": "kg.extract",
    "build_graph": "kg.graph", "validate_graph": "kg.graph", "run_query": "kg.graph", "library": "kg.graph",
    "render": "kg.graph",
    "citation_network": "kg.view", "cocitation_network": "kg.view", "graph_network": "kg.view",
    "network_stats": "kg.view", "corpus_page": "kg.view", "document_page": "kg.view", "cocitation_page": "kg.view",
}

__all__ = [*sorted(_WHERE), "__version__"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
