"""kg: UN resolutions into a linked-data knowledge graph.

The pipeline, one public function a stage::

    read_document -> extract_references -> build_graph -> run_query
                                                       -> citation_network -> corpus_page / network_stats
"""

from kg.extract import extract_references
from kg.graph import build_graph
from kg.network import citation_network, cocitation_network, network_stats
from kg.page import cocitation_page, corpus_page, document_page
from kg.query import library, render, run_query
from kg.read import bundled_corpus, read_document
from kg.validate import validate_graph
from kg.version import __version__

__all__ = [
    "build_graph", "bundled_corpus", "citation_network", "cocitation_network", "cocitation_page", "corpus_page",
    "document_page", "extract_references", "library", "network_stats", "read_document", "render", "run_query",
    "validate_graph", "__version__",
]
