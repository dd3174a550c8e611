"""Stage 2, extraction: a :class:`~kg.models.Document` -> its references.

``find`` gives spans only (a spaCy pipeline of phrase matchers and the
patterns of ``kg/data/patterns``); ``link`` resolves each span through a
table of resolvers by rule; ``references`` runs both over a corpus, binds
footnotes and "Ibid.", and makes the records users get.
"""

from kg.extract.references import extract_references

__all__ = ["extract_references"]
