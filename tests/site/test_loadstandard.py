"""``loket loadstandard``: a file loaded while an edition is in force stays a draft, and the
command says so and how to put it in force (issue 17, part 6)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loket.catalog.models import Edition

from tests.conftest import MINI_STANDARD


def _next_year_file(tmp_path, year=2027):
    text = MINI_STANDARD.read_text(encoding="utf-8").replace("year: 2018", f"year: {year}", 1)
    path = tmp_path / f"contoh-{year}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args):
    out = StringIO()
    call_command("loadstandard", *map(str, args), stdout=out)
    return out.getvalue()


def test_help_says_a_file_stays_a_draft_while_an_edition_is_in_force():
    from loket.site.management.commands.loadstandard import Command

    parser = Command().create_parser("loket", "loadstandard")
    text = parser.format_help()
    assert "DRAF" in text and "--activate" in text


@pytest.mark.django_db
def test_second_edition_stays_draft_and_the_output_says_how_to_activate(mini_standard, tmp_path):
    path = _next_year_file(tmp_path)
    out = _run(path)
    assert "disimpan sebagai DRAF karena edisi 2018 sedang berlaku" in out
    assert f"loket loadstandard {path} --activate" in out and "Berlakukan edisi draf ini" in out
    statuses = dict(Edition.objects.filter(office__slug="contoh").values_list("year", "status"))
    assert statuses == {2018: Edition.Status.ACTIVE, 2027: Edition.Status.DRAFT}

    out = _run(path, "--activate")  # the same file again: the draft is put in force
    assert "Edisi 2027 kini berlaku" in out
    statuses = dict(Edition.objects.filter(office__slug="contoh").values_list("year", "status"))
    assert statuses == {2018: Edition.Status.ARCHIVED, 2027: Edition.Status.ACTIVE}


@pytest.mark.django_db
def test_draft_and_activate_together_are_refused(mini_standard, tmp_path):
    with pytest.raises(CommandError):
        _run(_next_year_file(tmp_path), "--draft", "--activate")
    assert not Edition.objects.filter(year=2027).exists()
