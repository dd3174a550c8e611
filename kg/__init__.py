"""kg: UN resolutions into a linked-data knowledge graph.

The pipeline, one public function a stage::

    read_document -> extract_references -> build_graph -> run_query / write_page
"""

from kg.read import read_document

__all__ = ["read_document"]
__version__ = "0.1.0"
