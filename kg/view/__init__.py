"""Stage 4, the views: the graph as a network (networkx) and as pages (pyvis).

``network`` reads the citation network out of a built graph and computes
its analytics; ``page`` draws it as an offline HTML page.
"""

from kg.view.network import citation_network, cocitation_network, graph_network, network_stats
from kg.view.page import cocitation_page, corpus_page, document_page

__all__ = ["citation_network", "cocitation_network", "cocitation_page", "corpus_page", "document_page",
           "graph_network", "network_stats"]
