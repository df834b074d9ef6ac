"""Marks shared by the act x role x state matrices.

``refusal``: a case the act table refuses (a role that may not, a state the act does not leave).
The services decide it from the table before they write anything, in Python, the same on every
database; .ci/run runs these cases once, on SQLite, and the cases that write on both databases
(docs/testing.md)."""

from __future__ import annotations

import pytest

REFUSAL = pytest.mark.refusal


def refusal_if(refused: bool) -> list:
    return [REFUSAL] if refused else []


def refused(want) -> bool:
    """An ``expected`` of the matrices: the exception class the act must raise, or what it makes."""
    return isinstance(want, type) and issubclass(want, Exception)
