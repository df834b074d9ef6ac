"""The English interface is complete: every entry of the catalogue is translated, none is
left fuzzy (a guess makemessages made), and the compiled .mo is the one of the .po."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "loket" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = [l for l in block.splitlines() if not l.startswith("#~")]
        if not lines:
            continue
        flags = [l for l in lines if l.startswith("#,")]
        strings, cur = {}, None
        for l in lines:
            if l.startswith(("msgid", "msgstr")):
                cur, _, rest = l.partition(" ")
                strings[cur] = ast.literal_eval(rest)
            elif l.startswith('"') and cur:
                strings[cur] += ast.literal_eval(l)
        if strings.get("msgid"):
            yield strings, " ".join(flags)


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated = [s["msgid"][:60] for s, _ in _entries() if not (s.get("msgstr") or s.get("msgstr[0]"))]
    fuzzy = [s["msgid"][:60] for s, flags in _entries() if "fuzzy" in flags]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("source,english", [
    ("Pengaduan saya", "My complaints"),
    ("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.",
     "The data is not right yet; check the marked fields. Nothing was saved."),
])
def test_the_compiled_catalogue_carries_the_translations(source, english):
    with translation.override("en"):
        assert translation.gettext(source) == english


def test_a_bounded_date_is_refused_in_the_language_of_the_page():
    """The shared date parser's messages follow the page's language (the register book's filter)."""
    from loket.core.inputs import InputProblem, date_parse

    with translation.override("en"):
        with pytest.raises(InputProblem) as exc:
            date_parse("9999-12-31", label=translation.gettext("Tanggal 'dari'"))
    assert str(exc.value) == "'From' date must be between 01-01-2000 and 31-12-2100."
