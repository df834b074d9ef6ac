"""``loket backup --encrypt`` and ``loket restore`` of an encrypted archive (UU 27/2022 Pasal 35):
the round trip, nothing readable in the file or on the disk meanwhile, and every refusal
(wrong passphrase, a changed, cut or extended file, a short or missing passphrase) changing
nothing."""

import io
import os
import re
import stat
import sys
import tarfile
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from loket.core import backup
from loket.registers.models import RegisterBook, RegisterEntry
from tests.core.test_backup import (  # noqa: F401 (state, media: fixtures)
    PASSWORD,
    _intake,
    _mutate,
    _unchanged_after,
    media,
    snapshot,
    state,
    tree,
)

PASSPHRASE = "kopi tubruk di pendopo jam tujuh"
NIK = "3577014508900001"  # tests.factories.applicant_data: Siti Aminah
REFUSED = re.escape("Kata sandi cadangan salah atau berkas rusak/terpotong.")
PRODUCTION_LOG2_N = backup.SCRYPT_LOG2_N  # read before the fixture below lowers it

db = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cheap_kdf_and_a_passphrase(monkeypatch):
    # scrypt at N=2**10 instead of 2**15: 1 MiB and ~10 ms per derivation. The cost is written in
    # each file's header, so restore reads these archives like any other.
    monkeypatch.setattr(backup, "SCRYPT_LOG2_N", 10)
    monkeypatch.setenv(backup.PASSPHRASE_ENV, PASSPHRASE)


@pytest.fixture
def few(office, people, all_items, media):
    """A small office: the staff and one dossier of Siti Aminah (NIK above)."""
    _intake(office, people, all_items)
    return {"office": office, "people": people}


def _backup(path, **kw):
    out = io.StringIO()
    call_command("backup", output=str(path), encrypt=True, stdout=out, **kw)
    assert "Cadangan tersimpan" in out.getvalue() and "terpisah dari arsip" in out.getvalue()
    (written,) = re.findall(r"Cadangan tersimpan: (\S+)", out.getvalue())
    return type(path)(written)


def _restore(path, **kw) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out, **kw)
    return out.getvalue()


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _typed(monkeypatch, *answers):
    """stdin is a terminal and these are typed at the getpass prompts, in order."""
    asked = []
    answers = list(answers)

    def getpass(prompt=""):
        asked.append(prompt)
        return answers.pop(0)

    monkeypatch.delenv(backup.PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(backup.getpass, "getpass", getpass)
    return asked


# --- the round trip -------------------------------------------------------------------------------


@db
def test_encrypted_round_trip_restores_an_identical_state(state, media, tmp_path):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    assert archive == tmp_path / "cadangan.tar.gz.enc"  # the suffix says what it is
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cadangan.tar.gz.enc", "media"]  # no plain copy, no temp folder
    raw = archive.read_bytes()
    assert raw.startswith(backup.MAGIC) and raw[9:12] == bytes([10, 8, 1])  # the cost is in the header
    before, files_before = snapshot(), tree(media)
    assert len(before["registers.registerentry"]) == 5

    _mutate(state["people"], media)
    assert snapshot() != before

    out = _restore(archive, yes=True)
    assert "Dipulihkan" in out and "5 berkas unggahan" in out
    assert snapshot() == before
    assert tree(media) == files_before
    assert RegisterEntry.objects.get(number=1, book__kind=RegisterBook.Kind.PELAYANAN).nik == NIK  # a known row is back
    assert get_user_model().objects.get(username="petugas").check_password(PASSWORD)


@db
def test_passphrase_typed_at_a_terminal(few, media, tmp_path, monkeypatch):
    asked = _typed(monkeypatch, PASSPHRASE, PASSPHRASE)
    archive = _backup(tmp_path / "cadangan.tar.gz")
    assert asked == ["Kata sandi cadangan: ", "Ulangi kata sandi cadangan: "]
    before = snapshot()
    _mutate(few["people"], media)

    asked = _typed(monkeypatch, PASSPHRASE)
    _restore(archive, yes=True)
    assert asked == ["Kata sandi cadangan: "]  # once: a restore does not make anything new
    assert snapshot() == before

    _typed(monkeypatch, PASSPHRASE, PASSPHRASE + "!")
    with pytest.raises(CommandError, match="tidak sama.*Tidak ada berkas yang ditulis"):
        _backup(tmp_path / "lain.tar.gz")
    assert not (tmp_path / "lain.tar.gz.enc").exists()


@db
def test_a_plain_archive_restores_without_any_passphrase(few, media, tmp_path, monkeypatch):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "biasa.tar.gz"), stdout=out)
    before = snapshot()
    _mutate(few["people"], media)
    monkeypatch.delenv(backup.PASSPHRASE_ENV)
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # and nobody to ask
    _restore(tmp_path / "biasa.tar.gz", yes=True)
    assert snapshot() == before


# --- nothing readable, in the file or on the disk meanwhile ------------------------------------------


@db
def test_nothing_is_readable_without_the_passphrase(few, settings, tmp_path, monkeypatch):
    # What waits on the disk while the archive is built: data.jsonl, spooled (see backup._Spool).
    spooled = []
    original = backup._Spool.reader

    def spy(self):
        spooled.append(self.path.read_bytes())
        return original(self)

    monkeypatch.setattr(backup._Spool, "reader", spy)
    call_command("backup", output=str(tmp_path / "biasa.tar.gz"), stdout=io.StringIO())
    assert NIK.encode() in spooled[0]  # the spy sees the rows: a plain backup spools them in clear

    settings.DATA_DIR = tmp_path / "data"
    call_command("backup", encrypt=True, stdout=io.StringIO())
    (archive,) = (tmp_path / "data" / "backups").iterdir()
    assert re.fullmatch(r"loket-contoh-\d{8}-\d{6}\.tar\.gz\.enc", archive.name)
    assert NIK.encode() not in spooled[1] and b"Siti Aminah" not in spooled[1] and b'"model"' not in spooled[1]

    raw = archive.read_bytes()
    plain = (tmp_path / "biasa.tar.gz").read_bytes()
    assert plain.startswith(b"\x1f\x8b") and not raw.startswith(b"\x1f\x8b")
    for clear in (NIK.encode(), b"Siti Aminah", b"ustar", b"\x1f\x8b\x08", b"manifest.json", b"data.jsonl"):
        assert clear not in raw
    with pytest.raises(tarfile.TarError):
        tarfile.open(archive, "r:*")


# --- refusals: each changes nothing -----------------------------------------------------------------


@db
def test_a_wrong_passphrase_is_refused(few, media, tmp_path, monkeypatch):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    _mutate(few["people"], media)
    monkeypatch.setenv(backup.PASSPHRASE_ENV, PASSPHRASE.upper())

    def refusal():
        with pytest.raises(CommandError, match=REFUSED):
            _restore(archive, yes=True)

    _unchanged_after(refusal, media)


@db
def test_a_changed_cut_or_extended_file_is_refused(few, media, tmp_path):
    (media / "besar.bin").write_bytes(os.urandom(3 * backup.SEAL_CHUNK))  # incompressible: several chunks
    archive = _backup(tmp_path / "cadangan.tar.gz")
    raw = archive.read_bytes()
    head, sealed = backup._HEADER.size, backup.SEAL_CHUNK + 16
    assert len(raw) > head + 3 * sealed

    def flipped(at):
        changed = bytearray(raw)
        changed[at] ^= 0x01
        return bytes(changed)

    first, second = raw[head:head + sealed], raw[head + sealed:head + 2 * sealed]
    last = head + (len(raw) - head - 1) // sealed * sealed  # where the last chunk starts
    variants = {
        "salt": flipped(20),
        "nonce-prefix": flipped(head - 1),
        "middle": flipped(len(raw) // 2),
        "last-byte": flipped(len(raw) - 1),
        "cut-at-a-chunk-boundary": raw[: head + 2 * sealed],  # whole chunks, only the last missing
        "cut-inside-a-chunk": raw[: len(raw) - 100],
        "header-only": raw[:head],
        "chunks-swapped": raw[:head] + second + first + raw[head + 2 * sealed:],
        "chunk-dropped": raw[:head] + raw[head + sealed:],
        "bytes-appended": raw + b"\x00" * 16,
        "last-chunk-repeated": raw + raw[last:],
    }
    paths = {}
    for name, body in variants.items():
        paths[name] = tmp_path / f"{name}.tar.gz.enc"
        paths[name].write_bytes(body)
    _mutate(few["people"], media)

    def refusal():
        for name, path in paths.items():
            with pytest.raises(CommandError, match=REFUSED):
                _restore(path, yes=True)
            print("refused:", name)

    _unchanged_after(refusal, media)


@db
def test_a_short_passphrase_is_refused_and_nothing_written(few, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setenv(backup.PASSPHRASE_ENV, "sebelas-kar")  # 11 characters
    with pytest.raises(CommandError, match="terlalu pendek \\(11 karakter\\): minimal 12"):
        call_command("backup", encrypt=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="terlalu pendek"):
        call_command("backup", output=str(tmp_path / "baru" / "x.tar.gz"), encrypt=True, stdout=io.StringIO())
    # typed at a terminal: refused before it is asked a second time
    asked = _typed(monkeypatch, "pendek")
    with pytest.raises(CommandError, match="terlalu pendek"):
        call_command("backup", encrypt=True, stdout=io.StringIO())
    assert len(asked) == 1
    assert not (tmp_path / "data").exists() and not (tmp_path / "baru").exists()


@db
def test_no_passphrase_and_no_terminal_is_refused(few, settings, media, tmp_path, monkeypatch):
    archive = _backup(tmp_path / "cadangan.tar.gz")
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.delenv(backup.PASSPHRASE_ENV)
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # cron, a pipe: nobody to ask
    with pytest.raises(CommandError, match="tidak diberikan.*LOKET_BACKUP_PASSPHRASE.*Tidak ada berkas yang ditulis"):
        call_command("backup", encrypt=True, stdout=io.StringIO())
    assert not (tmp_path / "data").exists()
    _mutate(few["people"], media)

    def refusal():
        with pytest.raises(CommandError, match="tidak diberikan.*LOKET_BACKUP_PASSPHRASE.*Tidak ada yang diubah"):
            _restore(archive, yes=True)

    _unchanged_after(refusal, media)


# --- the format itself ---------------------------------------------------------------------------------


def test_the_production_cost_and_the_header():
    assert PRODUCTION_LOG2_N == 15 and (backup.SCRYPT_R, backup.SCRYPT_P) == (8, 1)
    out = io.BytesIO()
    writer = backup._seal_start(out, backup._Secret(PASSPHRASE))
    writer.finish()
    magic, log2_n, r, p, chunk, salt, prefix = backup._HEADER.unpack(out.getvalue()[: backup._HEADER.size])
    assert (magic, log2_n, r, p, chunk) == (b"LOKETENC1", 10, 8, 1, 65536)
    assert len(salt) == 16 and len(prefix) == 7
    again = io.BytesIO()
    backup._seal_start(again, backup._Secret(PASSPHRASE)).finish()
    assert again.getvalue()[16:39] != out.getvalue()[16:39]  # a fresh salt and nonce prefix per file


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 65536])
def test_chunks_round_trip_at_every_boundary(size):
    body = os.urandom(size)
    out = io.BytesIO()
    writer = backup._seal_start(out, backup._Secret(PASSPHRASE))
    for at in range(0, size, 5000):
        writer.write(body[at:at + 5000])
    writer.finish()
    reader = backup._open_sealed(io.BytesIO(out.getvalue()), backup._Secret(PASSPHRASE))
    assert reader.read() == body
    reader.seek(0)
    assert reader.read(7) + reader.read() == body
    # the same passphrase typed as decomposed Unicode (e with a combining accent) opens it too
    composed = "kafé di pendopo jam tujuh"
    out = io.BytesIO()
    backup._seal_start(out, backup._Secret(composed)).finish()
    backup._open_sealed(io.BytesIO(out.getvalue()), backup._Secret(unicodedata.normalize("NFD", composed)))
