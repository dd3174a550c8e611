"""Stage 1, reading: a file (text, PDF, AKN4UN XML) -> a :class:`~kg.models.Document`.

``files`` detects the format and dispatches; ``pdf`` and ``akn`` turn PDF and
XML into text with offsets; ``layout`` joins lines into paragraphs through
page furniture, ``clean`` strips markup and markers with an offset map
(``textmap``), ``segment`` cuts header, clauses and footnotes, ``metadata``
reads the header and ``verbs`` each clause's opening verb.
"""

from kg.read.files import bundled_corpus, expand_paths, read_document

__all__ = ["bundled_corpus", "expand_paths", "read_document"]
