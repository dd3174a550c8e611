"""The graph over HTTP: a read-only SPARQL 1.1 endpoint (``kg serve``), and a
Graph Store Protocol client that loads it into any triple store (``kg push``)."""

from kg.serve.endpoint import Endpoint, serve
from kg.serve.push import push

__all__ = ["Endpoint", "push", "serve"]
