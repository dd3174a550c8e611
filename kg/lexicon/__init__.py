"""The lexicon: the only code that opens ``kg/data`` (registry, States, patterns).

``registry`` holds the canonical entities with their names, aliases,
acronyms and external identifiers (scispacy-style indexes); ``states`` the
UN Member and observer States; ``patterns`` the reference patterns, name
shapes, verbs and stances, each with examples a test checks.
"""

from kg.lexicon.registry import Entity, Registry, load_registry

__all__ = ["Entity", "Registry", "load_registry"]
