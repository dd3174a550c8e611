"""Stage 3, the graph: references -> RDF, and what is done with it.

``vocab`` names the ontology's terms, ``iris`` makes every IRI and authority
URL, ``build`` maps documents and references to triples in an Oxigraph
store, ``validate`` checks them against the SHACL shapes, ``query`` runs the
SPARQL library of ``queries/``, ``export`` writes Turtle, JSON-LD and
N-Triples, and ``outputs`` replaces a build's folder only as a whole.
"""

from kg.graph.build import GraphBuild, build_graph
from kg.graph.query import library, load_graph_file, render, run_query
from kg.graph.validate import validate_graph

__all__ = ["GraphBuild", "build_graph", "library", "load_graph_file", "render", "run_query", "validate_graph"]
