"""The words people type for a service (e-KTP, akte, PBG, SKCK, domisili ...) and what they find.

The table is data: loket/catalog/data/synonyms.yaml, read once per process. ``terms`` cuts a
query into terms; each term is what was typed plus the pieces of service names it stands for.
The selectors turn the terms into a filter (a service must match every term)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.yaml"
MAX_PHRASE = 5  # the longest phrase of the table, in words, is checked at load


@dataclass(frozen=True)
class Family:
    family: str
    words: tuple[str, ...]
    means: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    typed: str  # as typed: searched in every text of a service, as before the table existed
    means: tuple[str, ...] = ()  # pieces of service names this term also finds


def normal(text: str) -> str:
    """Case, spaces, hyphens and dots do not count: "e-KTP", "E KTP" and "ektp" are one word."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


@cache
def families() -> tuple[Family, ...]:
    rows = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    out = []
    for row in rows:
        words = tuple(str(w) for w in row["words"])
        means = tuple(str(m) for m in row["means"])
        if not words or not means:
            raise ValueError(f"{SYNONYMS_FILE}: family {row.get('family')!r} needs words and means")
        for w in words:
            if len(w.split()) > MAX_PHRASE:
                raise ValueError(f"{SYNONYMS_FILE}: '{w}' is longer than {MAX_PHRASE} words")
        out.append(Family(family=str(row["family"]), words=words, means=means))
    return tuple(out)


@cache
def table() -> dict[str, tuple[str, ...]]:
    """normal(word) → the pieces of service names it stands for. A word in two families is an error."""
    seen: dict[str, Family] = {}
    for fam in families():
        for w in fam.words:
            key = normal(w)
            if key in seen and seen[key] is not fam:
                raise ValueError(f"{SYNONYMS_FILE}: '{w}' is in '{seen[key].family}' and '{fam.family}'")
            seen[key] = fam
    return {key: fam.means for key, fam in seen.items()}


def terms(query: str) -> list[Term]:
    """The terms of a query, the longest phrase of the table first: "KTP elektronik" is one term,
    "akte kelahiran" is one term (kelahiran), "izin usaha kecil" is two (izin usaha; kecil)."""
    words = [w for w in query.split() if normal(w)]
    known = table()
    out: list[Term] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            key = normal("".join(words[i:i + n]))
            if key in known:
                out.append(Term(typed=" ".join(words[i:i + n]), means=known[key]))
                i += n
                break
        else:
            out.append(Term(typed=words[i]))
            i += 1
    return out
