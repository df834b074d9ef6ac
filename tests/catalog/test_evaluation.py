"""Evaluasi Standar Pelayanan: the review notes shipped with the bundled standard, carried into a
draft by "Salin menjadi draf", decided there by the Camat or the Admin, read-only on a locked
edition (docs/standard-notes.md, "Evaluasi Standar Pelayanan")."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from loket.catalog.models import Edition, ReviewNote
from loket.catalog.services import EditionError, edition_copy, review_note_decide, review_notes_load
from loket.catalog.standard_file import (
    DEFAULT_STANDARD, StandardFileError, notes_path_for, parse_notes_file, parse_standard_file,
)
from loket.core.errors import WrongState

STANDARD = parse_standard_file(DEFAULT_STANDARD)
NOTES = parse_notes_file(notes_path_for(DEFAULT_STANDARD))


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def test_every_shipped_note_quotes_the_signed_text_of_its_services():
    """A note points at words the signed standard really prints, in each service it names."""
    services = {s.code: s for s in STANDARD.services}
    assert NOTES.edition == STANDARD.edition.year
    for note in NOTES.notes:
        assert note.source and note.text
        for code in note.services:
            whole = _squash(services[code].model_dump_json(ensure_ascii=False) + services[code].name)
            for part in note.quote.split("…"):
                assert _squash(part) in whole, (note.key, code, part)


def test_the_known_errors_are_shipped_as_text_errors():
    kinds = {n.key: n.kind for n in NOTES.notes}
    for key in ("uu-perkawinan-1974", "uu-bangunan-gedung-2002", "pp-13-2010-bukan-perda", "polres-kartoharjo"):
        assert kinds[key] == "text_error"


@pytest.fixture
def draft(mini_standard, tmp_path):
    """The mini edition with two notes (one on a service, one on the whole standard), copied to a draft."""
    path = tmp_path / "mini.notes.yaml"
    path.write_text(
        'format: "loket-review-notes/1"\nedition: 2018\nnotes:\n'
        '  - {key: meterai, services: [pindah], component: 2, kind: law_change, text: "Rp 10.000", source: "UU 10/2020"}\n'
        '  - {key: salah-ketik, component: 1, kind: text_error, quote: "UU 1/1970", text: "UU 1/1974", source: "x", verified: true}\n',
        encoding="utf-8")
    assert review_notes_load(edition=mini_standard.edition, path=path) == 2
    assert review_notes_load(edition=mini_standard.edition, path=path) == 0  # loading twice adds nothing
    return edition_copy(edition=mini_standard.edition, year=2019)


def test_copy_carries_the_notes_undecided_to_the_draft_services(draft):
    notes = {n.key: n for n in draft.review_notes.select_related("service")}
    assert set(notes) == {"meterai", "salah-ketik"}
    assert notes["meterai"].service.edition == draft and notes["meterai"].service.code == "pindah"
    assert notes["salah-ketik"].service is None
    assert all(n.status == ReviewNote.Status.UNDECIDED for n in notes.values())


def test_a_notes_file_naming_an_unknown_service_is_refused(mini_standard, tmp_path):
    path = tmp_path / "x.notes.yaml"
    path.write_text('format: "loket-review-notes/1"\nedition: 2018\nnotes:\n'
                    '  - {key: a, services: [tidak-ada], component: 2, kind: law_change, text: t, source: s}\n')
    with pytest.raises(StandardFileError, match="tidak-ada"):
        review_notes_load(edition=mini_standard.edition, path=path)
    assert not ReviewNote.objects.exists()


def test_camat_decides_a_note_of_the_draft(draft, people):
    note = draft.review_notes.get(key="meterai")
    review_note_decide(note_id=note.pk, office=draft.office, actor=people["camat"], status="applied",
                       decision_note="Diubah menjadi Rp 10.000.")
    note.refresh_from_db()
    assert (note.status, note.decided_by) == (ReviewNote.Status.APPLIED, people["camat"])


def test_rejecting_needs_a_reason_and_changes_nothing(draft, people):
    note = draft.review_notes.get(key="meterai")
    with pytest.raises(EditionError, match="alasan"):
        review_note_decide(note_id=note.pk, office=draft.office, actor=people["admin"], status="rejected")
    with pytest.raises(EditionError, match="Pilih keputusan"):
        review_note_decide(note_id=note.pk, office=draft.office, actor=people["admin"], status="mungkin")
    note.refresh_from_db()
    assert note.status == ReviewNote.Status.UNDECIDED


def test_the_front_office_may_not_decide(draft, people):
    note = draft.review_notes.get(key="meterai")
    with pytest.raises(PermissionDenied, match="Camat"):
        review_note_decide(note_id=note.pk, office=draft.office, actor=people["front"], status="applied")


def test_notes_of_an_active_edition_are_read_only(draft, people):
    note = Edition.objects.get(office=draft.office, year=2018).review_notes.get(key="meterai")
    with pytest.raises(WrongState, match="salin edisi menjadi draf"):
        review_note_decide(note_id=note.pk, office=draft.office, actor=people["camat"], status="applied")


def test_page_lists_the_notes_and_offers_the_decision_on_the_draft_only(draft, people, client):
    client.force_login(people["camat"])
    url = reverse("catalog_staff:evaluation")
    page = client.get(url, {"edisi": 2019}).content.decode()
    assert "Rp 10.000" in page and "UU 1/1970" in page and "belum diverifikasi" in page
    assert reverse("catalog_staff:decide", args=[draft.review_notes.get(key="meterai").pk]) in page
    active = client.get(url, {"edisi": 2018}).content.decode()
    assert "Rp 10.000" in active and "/putuskan/" not in active
    client.force_login(people["front"])
    assert client.get(url).status_code == 403
