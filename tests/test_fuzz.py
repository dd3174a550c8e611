"""Property-based: mutated real documents raise only kg's own errors, and offsets always hold (issue 12)."""

from __future__ import annotations

import random

from fuzzing import check, mutate, seed_texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = seed_texts()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=len(SEEDS) - 1), salt=st.integers(min_value=0, max_value=2**32),
       edits=st.integers(min_value=1, max_value=8))
def test_mutated_documents_read_or_are_refused_cleanly(seed, salt, edits):
    data = mutate(SEEDS[seed], random.Random(salt), edits)
    suffix = ".xml" if SEEDS[seed].lstrip().startswith(b"<") else ".txt"
    assert check(data, suffix) in ("ok", "refused")
