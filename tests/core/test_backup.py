"""``loket backup`` and ``loket restore``: one archive of the database and the uploaded files,
restored to an identical state; and every way a restore must refuse and change nothing."""

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import tarfile
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loket.api.models import ApiToken
from loket.catalog.models import Edition, Requirement
from loket.catalog.services import edition_activate, edition_copy
from loket.core.history import AppendOnlyError, unguarded
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from loket.offices.models import Office
from loket.registers.models import RegisterBook, RegisterEntry
from tests.factories import applicant_data

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "x-Pass-12345"  # tests/conftest.py: every account of ``people``
NOT_BACKED_UP = {"contenttypes.contenttype", "auth.permission"}
NATURAL = (ContentType, Permission)


# --- the state: a real office after a few days at the counter ----------------------------------


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "surat" / "2026").mkdir(parents=True)
    (root / "surat" / "2026" / "pengantar RT.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (root / "foto").mkdir()
    (root / "foto" / "ktp.jpg").write_bytes(os.urandom(5000))
    (root / "kosong").mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def _intake(office, people, items, **kw):
    return services.dossier_intake(
        office=office, service_code="pindah", applicant=applicant_data(**kw.pop("applicant", {})),
        actor=people["front"], present=items, originals=items, **kw,
    )


def _through_register(office, people, items, signer="sekcam", **kw):
    d = _intake(office, people, items, **kw)
    services.dossier_forward(code=d.code, actor=people["front"])
    services.dossier_initial(code=d.code, actor=people["kasi"])
    services.dossier_sign(code=d.code, actor=people[signer])
    return services.dossier_register(code=d.code, actor=people["front"])


def _active_items(office):
    return list(
        Requirement.objects.filter(
            service__code="pindah", service__edition__office=office, service__edition__status=Edition.Status.ACTIVE
        ).values_list("pk", flat=True)
    )


@pytest.fixture
def state(office, people, all_items, media):
    """Register entries, a dossier handed over, a returned one, one on the Kasi's desk, an
    archived, an active and a draft edition, API tokens, an admin log line, a user permission."""
    first = _through_register(office, people, all_items)
    services.dossier_handover(code=first.code, actor=people["front"])
    _through_register(office, people, all_items, signer="camat", applicant={"name": "Budi Santoso"})
    _intake(office, people, all_items[:1], applicant={"nik": "3577014508900003", "name": "Agus"})
    waiting = _intake(office, people, all_items, applicant={"nik": "3577014508900004", "name": "Dewi"})
    services.dossier_forward(code=waiting.code, actor=people["front"])
    # A timestamp with microseconds must come back with them (Django's JSON encoder cuts them).
    unguarded(Transition).filter(dossier=waiting).update(at=dt.datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=dt.UTC))

    ApiToken.issue(user=people["admin"], name="Kelurahan Satu")
    revoked, _ = ApiToken.issue(user=people["front"], name="Dasbor lama")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC))
    edition = Edition.objects.get(office=office, status=Edition.Status.ACTIVE)
    LogEntry.objects.create(
        user=people["admin"], content_type=ContentType.objects.get_for_model(Edition), object_id=str(edition.pk),
        object_repr=str(edition), action_flag=CHANGE, change_message='[{"changed": {"fields": ["Judul"]}}]',
    )
    people["kasi"].user_permissions.add(Permission.objects.get(codename="view_registerentry"))

    # Complaints: one filed on the web (a register line with no clerk) with a stored attachment,
    # coordinated and answered; the category tree and the holiday table.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loket.complaints import services as complaints
    from loket.offices.calendar import holidays_load_shipped

    holidays_load_shipped()
    complaints.categories_default_create(office=office)
    png = SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n" + os.urandom(300), content_type="image/png")
    web = complaints.complaint_file_public(office=office, files=[png], data={
        "kind": "pengaduan", "name": "Warga", "reply_via": "website", "subject": "Antrean lama",
        "text": "Antrean di loket sangat lama pagi ini."})
    complaints.complaint_coordinate(code=web.code, actor=people["front"], kind="musyawarah", party="Lurah, RT, RW",
                                    question="Jadwal loket", meeting_date="2026-12-01")
    complaints.complaint_coordination_result(code=web.code, actor=people["front"], result="Loket dibuka 07.30.")
    complaints.complaint_answer(code=web.code, actor=people["front"], text="Mulai besok loket dibuka 07.30.")

    new = edition_copy(edition=edition, year=edition.year + 1)
    edition_activate(edition=new)  # the first edition is now archived: read-only
    edition_copy(edition=new, year=edition.year + 2)  # and a draft
    return {"office": office, "people": people}


# --- what "identical" means ----------------------------------------------------------------------


def _canonical(obj, field):
    value = field.value_from_object(obj)
    if field.remote_field is not None and value is not None and field.remote_field.model in NATURAL:
        # content types and permissions are rebuilt by migrate: compare them by what they are
        return getattr(obj, field.name).natural_key()
    return value


def snapshot() -> dict:
    """Every row of every model that a backup must keep, field by field, ordered by pk."""
    data = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label == "sessions" or label in NOT_BACKED_UP:
            continue
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {f.attname: _canonical(obj, f) for f in model._meta.concrete_fields}
            for f in model._meta.many_to_many:
                related = getattr(obj, f.name).all()
                row[f.name] = sorted(r.natural_key() if isinstance(r, NATURAL) else r.pk for r in related)
            rows.append(row)
        data[label] = rows
    return data


def tree(root: Path) -> dict:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(root.rglob("*"))
    }


def _backup(path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    assert "Cadangan tersimpan" in out.getvalue()
    return path


def _restore(path: Path, **kw) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out, **kw)
    return out.getvalue()


def _mutate(people, media: Path) -> None:
    """What can happen to an office's data between a backup and the day it is needed."""
    User = get_user_model()
    petugas = people["front"]
    petugas.set_password("sandi-baru-999")
    petugas.save()
    User.objects.create_user(username="penyusup", password="x")
    ApiToken.objects.all().delete()
    Edition.objects.filter(status=Edition.Status.ARCHIVED).update(title="Diubah diam-diam")
    RegisterBook.objects.update(last_number=99)
    # history is append-only: tamper with it as someone with the database would (core.history.unguarded)
    unguarded(RegisterEntry).filter(number=1).update(name="Nama Lain", nik="3577010101010101")
    unguarded(Transition).update(note="diubah")
    Dossier.objects.update(state=Dossier.State.RECEIVED)
    LogEntry.objects.all().delete()
    people["kasi"].user_permissions.clear()
    (media / "foto" / "ktp.jpg").write_bytes(b"lain")
    (media / "surat" / "2026" / "pengantar RT.pdf").unlink()
    (media / "tambahan.txt").write_text("baru")


def _members(path: Path) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    with tarfile.open(path, "r:gz") as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]


def _repack(src: Path, dst: Path, *, data=None, extra=(), list_extra=True, manifest=None) -> Path:
    """Rewrite an archive: new data.jsonl bytes (manifest untouched), extra members (listed in the
    manifest with their right sha256, so that only their name or type can be the reason to
    refuse them), or an edited manifest."""
    members = _members(src)
    doc = json.loads(next(body for m, body in members if m.name == "manifest.json"))
    if manifest:
        manifest(doc)
    with tarfile.open(dst, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, body in members:
            if info.name == "manifest.json":
                continue
            if info.name == "data.jsonl" and data is not None:
                body = data(body)
                info.size = len(body)
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
        for info, body in extra:
            if body is not None:
                info.size = len(body)
                if list_extra:
                    doc["members"][info.name] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
        raw = json.dumps(doc).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    return dst


# --- the round trip ---------------------------------------------------------------------------------


def test_round_trip_restores_an_identical_state(state, media, tmp_path):
    people, office = state["people"], state["office"]
    archive = _backup(tmp_path / "cadangan.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds NIKs
    before, files_before = snapshot(), tree(media)
    # the state is the one the test means: all of it is in the snapshot
    # two register lines of dossiers, their legalisations' agenda lines, the complaint's line
    assert len(before["registers.registerentry"]) == 5 and len(before["dossiers.transition"]) >= 12
    assert len(before["papers.document"]) == 2
    assert len(before["complaints.complaint"]) == 1 and len(before["complaints.attachment"]) == 1
    assert len(before["complaints.coordination"]) == 1 and len(before["complaints.answer"]) == 1
    assert any(row["entered_by_id"] is None for row in before["registers.registerentry"])  # the web filing
    assert len(before["offices.holiday"]) == 25 and before["complaints.category"]
    assert {e["status"] for e in before["catalog.edition"]} == {"archived", "active", "draft"}
    assert len(before["loket_api.apitoken"]) == 2 and len(before["admin.logentry"]) == 1
    assert any(row["at"].microsecond == 123456 for row in before["dossiers.transition"])
    # + pengaduan/YYYY/MM/<random>.png, + documents/YYYY/MM/ with the two legalisation PDFs
    assert files_before["kosong"] == "dir" and len(files_before) == 15

    _mutate(people, media)
    assert snapshot() != before and tree(media) != files_before

    out = _restore(archive, yes=True)
    assert "Dipulihkan" in out and "5 berkas unggahan" in out
    assert snapshot() == before
    assert tree(media) == files_before
    assert not list(tmp_path.glob(".media.*"))  # no staging folder left behind

    # rows of append-only and locked models came back, and are still protected
    with pytest.raises(AppendOnlyError):
        RegisterEntry.objects.first().save()

    # users log in with the passwords they had at the time of the backup
    User = get_user_model()
    petugas = User.objects.get(username="petugas")
    assert petugas.check_password(PASSWORD) and not petugas.check_password("sandi-baru-999")
    assert not User.objects.filter(username="penyusup").exists()
    from django.test import Client

    client = Client()
    r = client.post(reverse("login"), {"username": "petugas", "password": PASSWORD})
    assert r.status_code == 302 and str(petugas.pk) == client.session["_auth_user_id"]

    # numbering goes on without a gap; new rows get fresh keys
    book = RegisterBook.objects.get(kind=RegisterBook.Kind.PELAYANAN)
    last = book.last_number
    assert last == 2
    restored_people = {k: User.objects.get(pk=u.pk) for k, u in people.items()}
    d = _through_register(office, restored_people, _active_items(office), applicant={"nik": "3577014508900005"})
    assert d.register_entry.number == last + 1
    assert list(RegisterEntry.objects.filter(book=book).values_list("number", flat=True)) == [1, 2, 3]
    newcomer = User.objects.create_user(username="baru", password="x")
    assert newcomer.pk > max(row["id"] for row in before["auth.user"])
    assert ApiToken.issue(user=newcomer, name="baru")[0].pk > max(row["id"] for row in before["loket_api.apitoken"])


def test_restore_into_an_emptied_database_needs_no_yes(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    before, files_before = snapshot(), tree(media)
    call_command("flush", interactive=False)  # content types and permissions are rebuilt, maybe with new ids
    (media / "foto" / "ktp.jpg").unlink()
    assert not get_user_model().objects.exists()
    _restore(archive)
    assert snapshot() == before
    assert tree(media) == files_before


def test_manifest_describes_the_archive(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        data = tar.extractfile("data.jsonl").read()
    assert {"manifest.json", "data.jsonl", "media", "media/kosong", "media/foto/ktp.jpg"} <= set(names)
    assert manifest["format"] == "loket-backup" and manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["created_at"].endswith("+07:00")
    assert "0001_initial" in manifest["migrations"]["registers"]
    assert manifest["counts"]["registers.registerentry"] == 5
    assert not {"auth.permission", "contenttypes.contenttype", "sessions.session"} & set(manifest["counts"])
    assert manifest["members"]["data.jsonl"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["media"]["included"] and manifest["media"]["files"] == 5  # + the two legalisations
    rows = [json.loads(line) for line in data.decode().splitlines()]
    assert sum(1 for r in rows if r["model"] == "registers.registerentry") == 5
    log = next(r for r in rows if r["model"] == "admin.logentry")
    assert log["fields"]["content_type"] == ["catalog", "edition"]  # natural key, not an id
    assert all(isinstance(r["pk"], int) for r in rows)  # every row keeps its key


def test_default_archive_name_place_and_no_media(state, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = ""
    call_command("backup", stdout=io.StringIO())
    (archive,) = (tmp_path / "data" / "backups").iterdir()
    assert re.fullmatch(r"loket-contoh-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert not any(n.startswith("media") for n in tar.getnames())
    assert manifest["media"]["included"] is False and "MEDIA_ROOT" in manifest["media"]["reason"]
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("backup", output=str(archive), stdout=io.StringIO())


def test_archive_without_media_leaves_media_root_alone(state, settings, media, tmp_path):
    settings.MEDIA_ROOT = ""
    archive = _backup(tmp_path / "tanpa-media.tar.gz")
    settings.MEDIA_ROOT = str(media)
    files = tree(media)
    out = _restore(archive, yes=True)
    assert "MEDIA_ROOT tidak diubah" in out
    assert tree(media) == files


# --- refusals: each changes nothing ------------------------------------------------------------------


def _unchanged_after(refusal, media):
    before, files = snapshot(), tree(media)
    refusal()
    assert snapshot() == before
    assert tree(media) == files
    assert not list(media.parent.glob(".media.*"))


def test_restore_without_yes_on_a_database_with_data_is_refused(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    _mutate(state["people"], media)

    def refusal():
        with pytest.raises(CommandError, match="sudah berisi data.*--yes"):
            _restore(archive)

    _unchanged_after(refusal, media)


def test_an_archive_with_one_byte_changed_is_refused(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    _mutate(state["people"], media)

    def one_byte(body: bytes) -> bytes:
        at = body.index(b"Siti Aminah")
        return body[:at] + b"X" + body[at + 1:]

    tampered = _repack(archive, tmp_path / "diubah.tar.gz", data=one_byte)

    def refusal():
        with pytest.raises(CommandError, match="sha256 data.jsonl tidak cocok"):
            _restore(tampered, yes=True)

    _unchanged_after(refusal, media)


def test_a_damaged_archive_is_refused(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged = tmp_path / "rusak.tar.gz"
    damaged.write_bytes(bytes(raw))
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(bytes(raw[: len(raw) // 3]))
    _mutate(state["people"], media)

    def refusal():
        for path in (damaged, truncated, tmp_path / "tidak-ada.tar.gz"):
            with pytest.raises(CommandError, match="rusak|tidak dapat dibaca|tidak ditemukan|tidak cocok"):
                _restore(path, yes=True)

    _unchanged_after(refusal, media)


def _file(name: str) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), b"bukan berkas Loket\n"


def _link(name: str, target: str, kind=tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


@pytest.mark.parametrize(
    "member",
    [
        _file("media/../../evil.txt"),
        _file("media/surat/../../../evil.txt"),
        _file("../evil.txt"),
        _file("/tmp/loket-evil.txt"),
        _file("media//evil.txt"),
        _file("catatan.txt"),
        _link("media/evil.txt", "/etc/passwd"),
        _link("media/evil.txt", "../../evil.txt", tarfile.LNKTYPE),
    ],
    ids=["media-dotdot", "deep-dotdot", "top-dotdot", "absolute", "empty-part", "unknown", "symlink", "hardlink"],
)
def test_unsafe_member_paths_are_refused(state, media, tmp_path, member):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    evil = _repack(archive, tmp_path / "jahat.tar.gz", extra=[member])
    _mutate(state["people"], media)

    def refusal():
        with pytest.raises(CommandError, match="Arsip ditolak"):
            _restore(evil, yes=True)

    _unchanged_after(refusal, media)
    for place in (tmp_path / "evil.txt", tmp_path.parent / "evil.txt", Path("/tmp/loket-evil.txt"), media / "evil.txt"):
        assert not place.exists()


def test_unlisted_member_is_refused(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    sneaky = _repack(archive, tmp_path / "tambah.tar.gz", extra=[_file("media/tambahan.txt")], list_extra=False)
    with pytest.raises(CommandError, match="tidak tercantum di manifes"):
        _restore(sneaky, yes=True)


def test_archive_from_newer_code_is_refused(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    newer = _repack(
        archive, tmp_path / "baru.tar.gz",
        manifest=lambda m: m["migrations"]["registers"].append("0099_dari_masa_depan"),
    )
    _mutate(state["people"], media)

    def refusal():
        with pytest.raises(CommandError, match="versi Loket yang lebih baru.*registers.0099_dari_masa_depan"):
            _restore(newer, yes=True)

    _unchanged_after(refusal, media)


def test_a_row_that_cannot_be_loaded_rolls_everything_back(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    _mutate(state["people"], media)
    data = next(body for m, body in _members(archive) if m.name == "data.jsonl")
    doubled = data + data.splitlines(keepends=True)[-1]  # the last row twice: a duplicate key

    def agree(m):  # the manifest agrees with the doubled data: only the database can refuse it
        m["members"]["data.jsonl"] = {"sha256": hashlib.sha256(doubled).hexdigest(), "size": len(doubled)}

    bad = _repack(archive, tmp_path / "ganda.tar.gz", data=lambda body: doubled, manifest=agree)

    def refusal():
        with pytest.raises(CommandError, match="Pemulihan dibatalkan.*IntegrityError"):
            _restore(bad, yes=True)

    _unchanged_after(refusal, media)


# --- a consistent snapshot while the office keeps working --------------------------------------------


def test_the_dump_reads_one_snapshot(state, media, tmp_path):
    with CaptureQueriesContext(connection) as queries:
        _backup(tmp_path / "cadangan.tar.gz")
    # the first statement inside the transaction (Django may log the BEGIN itself)
    first = next(q["sql"] for q in queries.captured_queries if q["sql"] != "BEGIN")
    if connection.vendor == "postgresql":
        assert first == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
    else:
        assert first == "BEGIN DEFERRED"


def test_a_write_during_the_dump_does_not_enter_the_archive_nor_wait(state, media, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the in-memory SQLite test database has no concurrent writers")
    from loket.core import backup as backup_module

    original = backup_module._counted
    written = []

    def writer():
        try:
            Office.objects.create(slug="baru", region_code="35.77.99", name="Kecamatan Baru", city="Kota")
            written.append(True)
        finally:
            connections.close_all()

    def counted(iterable, counter):
        if not written:  # after the snapshot has begun, before the offices are read
            thread = threading.Thread(target=writer)
            thread.start()
            thread.join(timeout=10)
            assert written, "the office's write had to wait for the backup"
        return original(iterable, counter)

    monkeypatch.setattr(backup_module, "_counted", counted)
    archive = _backup(tmp_path / "cadangan.tar.gz")
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert Office.objects.count() == 2
    assert manifest["counts"]["offices.office"] == 1
