"""Cadangan dan pemulihan (backup and restore): the database and the uploaded files in one archive.

The archive is a ``.tar.gz`` written with owner-only permissions (0600), because it holds NIKs:

    data.jsonl     every row of every model of every installed app, except sessions, content
                   types and permissions (``migrate`` rebuilds those); one JSON object per line,
                   model by model, primary keys kept. References *to* content types and
                   permissions are written by natural key (app label + model, codename), so they
                   point at the right rows of any database migrated from the same code.
    media/…        the MEDIA_ROOT tree, when MEDIA_ROOT is set and exists.
    manifest.json  format, Loket and Django versions, database vendor, time (Asia/Jakarta),
                   the applied migrations per app, row counts per model, and the sha256 and size
                   of every other member. Written last, once every hash is known.

The format does not depend on the database: an archive of a SQLite trial restores into
PostgreSQL and back. The dump reads one consistent snapshot (PostgreSQL: one REPEATABLE READ,
READ ONLY transaction; SQLite: one deferred read transaction, which in WAL mode does not block
the clerks' writes) and streams the rows, so it neither stops the office nor needs the whole
database in memory.

A restore checks the archive first (member names, member types, sha256 of every member,
migrations not newer than the code), then replaces every restorable table in one transaction:
empty them, insert the rows raw, as ``Model.save_base(raw=True)`` does, never through the
models' own ``save()`` (append-only register entries, transitions and locked editions are
written back as they were; see ``_Writer``; neither the flush SQL nor ``_base_manager``
passes through loket.core.history's guarded QuerySet), check the row counts, set the sequences after the
highest key, and stage the uploaded files beside MEDIA_ROOT. Only
when the transaction has committed is the staged tree put in MEDIA_ROOT's place. Any failure
before that leaves the database and the files as they were. Login sessions are emptied too:
they name users by key and must not outlive the data they were issued for.

Encrypted archives (``loket backup --encrypt``, UU 27/2022 Pasal 35), ``.tar.gz.enc``: the same
``.tar.gz``, encrypted with a passphrase as it is produced, in the STREAM construction of
online authenticated encryption (Hoang, Reyhanitabar, Rogaway, Vizár 2015) over AES-256-GCM,
with the nonce layout of Tink's AES-GCM streaming AEAD (age does the same with ChaCha20)::

    header  b"LOKETENC1" | scrypt log2 N (1 byte) | r (1) | p (1) | chunk size (4, big-endian)
            | salt (16 random bytes) | nonce prefix (7 random bytes)              = 39 bytes
    key     scrypt(passphrase in Unicode NFC as UTF-8, salt, N=2**15, r=8, p=1) -> 32 bytes
    chunks  the .tar.gz cut into chunks of ``chunk size`` bytes (64 KiB; the last one holds
            0 to ``chunk size`` bytes), each written as AESGCM(key).encrypt(nonce, chunk, header):
            the chunk plus a 16-byte tag, with the whole header as associated data and
            nonce = prefix (7) | chunk index (4, big-endian, from 0) | 1 for the last chunk, else 0

Changing any byte of the header or of a chunk fails a tag (or the header's checks); moving,
dropping or repeating a chunk changes its nonce; cutting the file after any chunk leaves a last
chunk that was not sealed as the last, and bytes appended after the last chunk make it read as not the last: every one of them
is refused, before anything is restored (the whole file is read and checked first). A wrong
passphrase derives another key and fails the first tag. The plain archive never reaches the
disk: the tar and gzip output is sealed chunk by chunk as it is produced, and ``data.jsonl``,
which the tar writer needs whole before it knows its size, is spooled sealed under a random
key that only lives in memory (see ``_Spool``), so not even a killed process leaves a plain
row behind. The header records N, r and p, so archives stay readable if the cost is raised.
"""

from __future__ import annotations

import datetime as dt
import getpass
import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import stat
import struct
import sys
import tarfile
import tempfile
import unicodedata
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import django
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "loket-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media"
JAKARTA = ZoneInfo("Asia/Jakarta")
CHUNK = 2000

# Rebuilt by ``migrate`` (content types, permissions) or not worth keeping (sessions).
EXCLUDED_APPS = frozenset({"sessions"})
EXCLUDED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission"})
# References to these are written by natural key; every other reference keeps its primary key.
NATURAL_TARGETS = frozenset({"contenttypes.contenttype", "auth.permission"})


class BackupError(Exception):
    """The backup or the restore was refused or failed; the message says why, in Indonesian."""


# --- encryption (``--encrypt``; the format is in the module docstring) ------------------------------

ENCRYPTED_SUFFIX = ".enc"
MAGIC = b"LOKETENC1"
MAGIC_FAMILY = b"LOKETENC"  # followed by the format version
PASSPHRASE_ENV = "LOKET_BACKUP_PASSPHRASE"
PASSPHRASE_MIN = 12
# The scrypt cost of new archives: N = 2**15, r = 8, p = 1 (32 MiB, about 0.15 s, per archive).
# Deliberately not a setting: only the tests lower it (monkeypatch) so that they run fast.
SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
SEAL_CHUNK = 1 << 16
DECRYPT_FAILED = "Kata sandi cadangan salah atau berkas rusak/terpotong. Tidak ada yang diubah."
_TAG = 16
_PREFIX = 7
_HEADER = struct.Struct(">9sBBBI16s7s")  # magic, log2 N, r, p, chunk size, salt, nonce prefix


class _Secret:
    """A passphrase and the keys derived from it: one scrypt run per (salt, cost), so that the
    read-back after a backup does not derive the key a second time."""

    def __init__(self, passphrase: str):
        self._bytes = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        self._keys: dict[tuple, AESGCM] = {}

    def aead(self, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
        key = (salt, log2_n, r, p)
        if key not in self._keys:
            kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
            self._keys[key] = AESGCM(kdf.derive(self._bytes))
        return self._keys[key]


def passphrase_check(passphrase: str) -> None:
    """Refuse a passphrase for a new encrypted backup shorter than PASSPHRASE_MIN characters."""
    length = len(unicodedata.normalize("NFC", passphrase))
    if length < PASSPHRASE_MIN:
        raise BackupError(
            f"Kata sandi cadangan terlalu pendek ({length} karakter): minimal {PASSPHRASE_MIN} karakter. "
            "Pakai kalimat sandi, mis. empat kata acak. Tidak ada berkas yang ditulis."
        )


def passphrase_obtain(*, confirm: bool) -> str:
    """The backup passphrase: LOKET_BACKUP_PASSPHRASE or, when that is not set and stdin is a
    terminal, typed without echo; for a new backup (``confirm``) typed twice and checked."""
    nothing = "Tidak ada berkas yang ditulis." if confirm else "Tidak ada yang diubah."
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        if confirm:
            passphrase_check(value)
        return value
    stdin = sys.stdin
    if stdin is None or stdin.closed or not stdin.isatty():
        raise BackupError(
            f"Kata sandi cadangan tidak diberikan: isi variabel lingkungan {PASSPHRASE_ENV}, atau jalankan "
            f"perintah ini di terminal agar kata sandi ditanyakan. {nothing}"
        )
    value = getpass.getpass("Kata sandi cadangan: ")
    if confirm:
        passphrase_check(value)
        if getpass.getpass("Ulangi kata sandi cadangan: ") != value:
            raise BackupError(f"Kedua kata sandi cadangan tidak sama. {nothing}")
    elif not value:
        raise BackupError(f"Kata sandi cadangan kosong. {nothing}")
    return value


def is_encrypted(path: Path | str) -> bool:
    """True when the file starts like an encrypted archive (any version of the format)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC_FAMILY)) == MAGIC_FAMILY
    except OSError:
        return False


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class _SealWriter:
    """Seals what is written to it into ``raw``, chunk by chunk, as it comes. Only ``finish()``
    seals a chunk as the last one: a writer abandoned on an error leaves a file that never opens."""

    def __init__(self, raw, aead: AESGCM, *, aad: bytes, prefix: bytes, chunk: int = SEAL_CHUNK):
        self.raw, self.aead, self.aad, self.prefix, self.chunk = raw, aead, aad, prefix, chunk
        self._buffer = bytearray()
        self._index = 0

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > self.chunk:  # more follows: this one is not the last
            self._seal(bytes(self._buffer[: self.chunk]), last=False)
            del self._buffer[: self.chunk]
        return memoryview(data).nbytes

    def flush(self) -> None:
        self.raw.flush()

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        if self._index >= 2**32:
            raise BackupError("Arsip terlalu besar untuk dienkripsi (lebih dari 2^32 potongan).")
        self.raw.write(self.aead.encrypt(_nonce(self.prefix, self._index, last), chunk, self.aad))
        self._index += 1


class _OpenReader:
    """Reads back what ``_SealWriter`` wrote, checking every chunk before giving out its bytes and
    that the last one read is the one sealed as the last. ``seek(0)`` starts over (gzip rewinds
    that way when tarfile goes back to an earlier member). Any failed check raises BackupError."""

    def __init__(self, raw, aead: AESGCM, *, aad: bytes, prefix: bytes, chunk: int, failure: str):
        self.raw, self.aead, self.aad, self.prefix, self.chunk = raw, aead, aad, prefix, chunk
        self.failure = failure
        self.start = raw.tell()
        self.seek(0)  # opens the first chunk: a wrong passphrase is refused here

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if offset != 0 or whence != io.SEEK_SET:
            raise io.UnsupportedOperation("an encrypted archive is only read from its start")
        self.raw.seek(self.start)
        self._index, self._done, self._plain, self._pos = 0, False, b"", 0
        self._ahead = self._read_sealed()
        self._open_next()
        return 0

    def _read_sealed(self) -> bytes:
        want, parts, got = self.chunk + _TAG, [], 0
        while got < want:
            block = self.raw.read(want - got)
            if not block:
                break
            parts.append(block)
            got += len(block)
        return b"".join(parts)

    def _open_next(self) -> bool:
        if self._done:
            return False
        sealed = self._ahead
        self._ahead = self._read_sealed()
        last = not self._ahead  # nothing after it: it must have been sealed as the last
        if len(sealed) < _TAG:
            raise BackupError(self.failure)  # no chunk at all, or cut short inside one
        try:
            self._plain = self.aead.decrypt(_nonce(self.prefix, self._index, last), sealed, self.aad)
        except InvalidTag:
            raise BackupError(self.failure) from None
        self._pos = 0
        self._index += 1
        self._done = last
        return True

    def read(self, size: int | None = -1) -> bytes:
        out, n = [], 0
        while size is None or size < 0 or n < size:
            if self._pos >= len(self._plain):
                if not self._open_next():
                    break
                continue
            end = len(self._plain) if size is None or size < 0 else min(len(self._plain), self._pos + size - n)
            out.append(self._plain[self._pos:end])
            n += end - self._pos
            self._pos = end
        return b"".join(out)


def _seal_start(raw, secret: _Secret) -> _SealWriter:
    """Write the header of a new encrypted archive (fresh salt and nonce prefix) to ``raw``."""
    salt, prefix = os.urandom(16), os.urandom(_PREFIX)
    header = _HEADER.pack(MAGIC, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, SEAL_CHUNK, salt, prefix)
    raw.write(header)
    aead = secret.aead(salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    return _SealWriter(raw, aead, aad=header, prefix=prefix)


def _open_sealed(raw, secret: _Secret) -> _OpenReader:
    """Read the header of an encrypted archive and open its first chunk."""
    header = raw.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise BackupError(DECRYPT_FAILED)
    magic, log2_n, r, p, chunk, salt, prefix = _HEADER.unpack(header)
    if magic != MAGIC:
        version = magic[len(MAGIC_FAMILY):].decode("ascii", "replace")
        raise BackupError(
            f"Arsip terenkripsi memakai format versi {version}, yang tidak dikenal Loket ini. "
            "Pasang versi Loket yang membuat arsip ini. Tidak ada yang diubah."
        )
    # A damaged header must not make scrypt take all the memory or time of the server.
    if not (1 <= log2_n <= 20 and 1 <= r <= 32 and 1 <= p <= 16 and 128 * r * 2**log2_n <= 2**30 and 1 <= chunk <= 1 << 24):
        raise BackupError(DECRYPT_FAILED)
    return _OpenReader(raw, secret.aead(salt, log2_n, r, p), aad=header, prefix=prefix, chunk=chunk, failure=DECRYPT_FAILED)


# --- what is backed up ---------------------------------------------------------------------


def restorable_models(using: str = DEFAULT_DB_ALIAS) -> list:
    """Every concrete, managed model of every installed app, except the excluded ones."""
    found = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS:
            continue
        for model in app_config.get_models():
            opts = model._meta
            if opts.label_lower in EXCLUDED_MODELS or opts.proxy or not opts.managed:
                continue
            if router.allow_migrate_model(using, model):
                found.append(model)
    return found


def _through_models(models) -> list:
    """The auto-created many-to-many tables of these models (e.g. auth_user_groups)."""
    return [
        f.remote_field.through
        for model in models
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]


def _session_models() -> list:
    if not apps.is_installed("django.contrib.sessions"):
        return []
    return list(apps.get_app_config("sessions").get_models())


def _existing_tables(connection) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def database_has_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when any restorable table holds a row (a database only migrated holds none)."""
    connection = connections[using]
    tables = _existing_tables(connection)
    return any(
        model._base_manager.using(using).exists()
        for model in restorable_models(using)
        if model._meta.db_table in tables
    )


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root).resolve() if root else None


def _applied_migrations(connection) -> dict[str, list[str]]:
    installed = {a.label for a in apps.get_app_configs()}
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if app_label in installed:
            applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _loket_version() -> str:
    try:
        return importlib.metadata.version("loket")
    except importlib.metadata.PackageNotFoundError:
        return "tidak diketahui"


# --- serialisation ---------------------------------------------------------------------------


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """JSON Lines with primary keys everywhere and natural keys only for references to
    content types and permissions, whose ids differ from one database to another."""

    def _natural(self, field) -> bool:
        return field.remote_field.model._meta.label_lower in NATURAL_TARGETS

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)

    def end_object(self, obj):
        # json.dumps takes the C encoder; json.dump (what jsonl uses) the pure-Python one, 3× slower.
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs))
        self.stream.write("\n")
        self._current = None


def _queryset(model, using):
    qs = model._base_manager.using(using).order_by(model._meta.pk.name)
    natural_fks = [
        f.name for f in model._meta.local_fields
        if f.remote_field and f.remote_field.model._meta.label_lower in NATURAL_TARGETS
    ]
    if natural_fks:
        qs = qs.select_related(*natural_fks)
    prefetch = []
    for f in model._meta.local_many_to_many:
        if not (f.serialize and f.remote_field.through._meta.auto_created):
            continue
        target = f.remote_field.model
        if target._meta.label_lower == "auth.permission":
            prefetch.append(f.name + "__content_type")
        else:
            prefetch.append(f.name)
    if prefetch:
        qs = qs.prefetch_related(*prefetch)
    return qs


def _counted(iterable, counter: list[int]):
    for item in iterable:
        counter[0] += 1
        yield item


def _dump(models, stream, using: str) -> dict[str, int]:
    """Write every row of these models to the text ``stream``, model by model, in chunks."""
    counts: dict[str, int] = {}
    serializer = _Serializer()
    for model in models:
        counter = [0]
        rows = _counted(_queryset(model, using).iterator(chunk_size=CHUNK), counter)
        serializer.serialize(rows, stream=stream, cls=_Encoder)
        counts[model._meta.label_lower] = counter[0]
    return counts


class _Sink(io.RawIOBase):
    """The bottom of the spool's text stream: hashes and counts the bytes, hands them on."""

    def __init__(self, target, spool: _Spool):
        self.target, self.spool = target, spool

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.spool.sha.update(data)
        self.spool.size += len(data)
        self.target.write(data)
        return len(data)


class _Spool:
    """``data.jsonl`` between the dump and the archive. The tar writer needs a member's size
    before its bytes, so the rows wait in a file of the backup's private temporary folder (0700,
    removed when the backup ends, whatever happens). For an encrypted backup that file is sealed
    in the archive's chunk format under a random key that exists only in this object's memory:
    the rows never wait on the disk in clear, not even when the process is killed before the
    folder is removed."""

    def __init__(self, path: Path, *, seal: bool):
        self.path = path
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256)) if seal else None
        self._prefix = os.urandom(_PREFIX)
        self.sha = hashlib.sha256()
        self.size = 0

    @contextmanager
    def writer(self):
        """A text stream (UTF-8, "\\n" line ends); hashed, counted and stored."""
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            sealer = _SealWriter(raw, self._aead, aad=b"", prefix=self._prefix) if self._aead else None
            text = io.TextIOWrapper(io.BufferedWriter(_Sink(sealer or raw, self), 1 << 16), encoding="utf-8", newline="\n")
            try:
                yield text
                text.flush()
                if sealer is not None:
                    sealer.finish()
            finally:
                text.close()

    @contextmanager
    def reader(self):
        with open(self.path, "rb") as raw:
            if self._aead is None:
                yield raw
            else:
                yield _OpenReader(raw, self._aead, aad=b"", prefix=self._prefix, chunk=SEAL_CHUNK,
                                  failure=f"Berkas sementara {self.path} berubah saat cadangan dibuat. Ulangi.")


@contextmanager
def _snapshot(connection):
    """One consistent read of the whole database while the office keeps working."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        # Called inside a transaction already: that transaction is the snapshot.
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE here (settings: transaction_mode) and hold the
        # write lock for the whole dump. A deferred transaction only reads: in WAL mode it sees
        # one snapshot from its first read on and lets the clerks keep writing.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic(using=connection.alias):
            yield


# --- writing the archive -----------------------------------------------------------------------


class _HashingReader:
    """A file wrapper that hashes what the tar writer reads from it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def _info(name: str, *, size: int = 0, mtime: float | None = None, mode: int = 0o600, directory: bool = False):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.size = 0 if directory else size
    info.mtime = int(mtime if mtime is not None else dt.datetime.now().timestamp())
    info.mode = mode
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _add_media(tar: tarfile.TarFile, root: Path, members: dict) -> dict:
    """Add the MEDIA_ROOT tree under ``media/``: directories and regular files; symbolic links
    and special files are left out and listed."""
    files, size, skipped = 0, 0, []
    tar.addfile(_info(MEDIA, directory=True, mode=0o755, mtime=root.stat().st_mtime))
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames.sort()
        for name in list(dirnames):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                skipped.append(rel)
                dirnames.remove(name)
                continue
            tar.addfile(_info(f"{MEDIA}/{rel}", directory=True, mode=0o755, mtime=path.stat().st_mtime))
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(root).as_posix()
            try:
                st = os.lstat(path)
                if not stat.S_ISREG(st.st_mode):
                    skipped.append(rel)
                    continue
                fh = open(path, "rb")
            except FileNotFoundError:  # deleted while the backup ran
                continue
            arcname = f"{MEDIA}/{rel}"
            info = _info(arcname, size=st.st_size, mtime=st.st_mtime, mode=(st.st_mode & 0o666) | 0o600)
            with fh:
                reader = _HashingReader(fh)
                try:
                    tar.addfile(info, reader)
                except OSError as exc:
                    raise BackupError(f"Berkas unggahan {rel} berubah atau tidak terbaca saat dicadangkan: {exc}. Ulangi.") from exc
            members[arcname] = {"sha256": reader.sha.hexdigest(), "size": info.size}
            files += 1
            size += info.size
    return {"included": True, "root": str(root), "files": files, "bytes": size, "skipped": skipped}


def default_output() -> Path:
    from loket.offices.models import Office

    try:
        slugs = list(Office.objects.values_list("slug", flat=True)[:2])
    except DatabaseError:
        slugs = []
    name = slugs[0] if len(slugs) == 1 else "install"
    stamp = dt.datetime.now(JAKARTA).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"loket-{name}-{stamp}.tar.gz"


@dataclass
class BackupReport:
    path: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(self.manifest["counts"].values())


def backup_create(
    *, output: Path | str | None = None, using: str = DEFAULT_DB_ALIAS, passphrase: str | None = None
) -> BackupReport:
    """Write one archive of the database and the uploaded files; refuse to overwrite a file.
    With a passphrase the archive is encrypted (module docstring) and its name ends in ``.enc``."""
    secret = None
    if passphrase is not None:
        passphrase_check(passphrase)
        secret = _Secret(passphrase)
    connection = connections[using]
    output = Path(output).expanduser().absolute() if output else default_output()
    if secret is not None and not output.name.endswith(ENCRYPTED_SUFFIX):
        output = output.with_name(output.name + ENCRYPTED_SUFFIX)
    if output.exists():
        raise BackupError(f"Berkas {output} sudah ada; cadangan tidak menimpa berkas. Pilih nama lain.")
    if not output.parent.exists():
        output.parent.mkdir(parents=True, mode=0o700)
        os.chmod(output.parent, 0o700)
    models = restorable_models(using)
    created = dt.datetime.now(JAKARTA)
    with tempfile.TemporaryDirectory(prefix=".loket-backup-", dir=output.parent) as tmp:
        tmp = Path(tmp)
        spool = _Spool(tmp / DATA, seal=secret is not None)
        try:
            with _snapshot(connection):
                migrations = _applied_migrations(connection)
                with spool.writer() as stream:
                    counts = _dump(models, stream, using)
        except DatabaseError as exc:
            raise BackupError(
                f"Basis data tidak dapat dibaca: {exc}. Sudahkah 'loket setup' (atau 'loket migrate') dijalankan?"
            ) from exc
        members = {DATA: {"sha256": spool.sha.hexdigest(), "size": spool.size}}
        partial = tmp / ("archive.tar.gz" + (ENCRYPTED_SUFFIX if secret is not None else ""))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw:
            # Encrypted: the tar and gzip output is sealed chunk by chunk as it is produced.
            sink = _seal_start(raw, secret) if secret is not None else raw
            with tarfile.open(fileobj=sink, mode="w:gz", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar:
                with spool.reader() as fh:
                    tar.addfile(_info(DATA, size=members[DATA]["size"], mtime=created.timestamp()), fh)
                root = _media_root()
                if root is None:
                    media = {"included": False, "reason": "MEDIA_ROOT tidak diatur; tidak ada berkas unggahan yang dicadangkan."}
                elif not root.is_dir():
                    media = {"included": False, "root": str(root),
                             "reason": f"MEDIA_ROOT {root} belum ada; tidak ada berkas unggahan yang dicadangkan."}
                else:
                    media = _add_media(tar, root, members)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "loket_version": _loket_version(),
                    "django_version": django.get_version(),
                    "database_vendor": connection.vendor,
                    "created_at": created.isoformat(),
                    "excluded": sorted(EXCLUDED_MODELS | {f"{a}.*" for a in EXCLUDED_APPS}),
                    "natural_keys_for": sorted(NATURAL_TARGETS),
                    "migrations": migrations,
                    "counts": counts,
                    "media": media,
                    "members": members,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                tar.addfile(_info(MANIFEST, size=len(body), mtime=created.timestamp()), io.BytesIO(body))
            if secret is not None:
                sink.finish()
            raw.flush()
            os.fsync(raw.fileno())
        # Read back what was written before calling it a backup (encrypted: decrypted and checked).
        with _open(partial, secret) as tar:
            _verify(tar)
        if output.exists():
            raise BackupError(f"Berkas {output} sudah ada; cadangan tidak menimpa berkas. Pilih nama lain.")
        os.replace(partial, output)
    return BackupReport(path=output, manifest=manifest)


# --- reading and checking an archive -------------------------------------------------------------


@contextmanager
def _open(path: Path, secret: _Secret | None = None):
    """The archive as a TarFile; an encrypted one is decrypted (and checked) as it is read."""
    raw = None
    try:
        try:
            if is_encrypted(path):
                if secret is None:
                    raise BackupError(
                        f"Arsip {path} terenkripsi: kata sandi cadangan diperlukan ({PASSPHRASE_ENV}, atau "
                        "ditanyakan bila dijalankan di terminal). Tidak ada yang diubah."
                    )
                raw = open(path, "rb")
                tar = tarfile.open(fileobj=_open_sealed(raw, secret), mode="r:gz", encoding="utf-8")
            else:
                tar = tarfile.open(path, mode="r:gz", encoding="utf-8")
        except FileNotFoundError:
            raise BackupError(f"Arsip {path} tidak ditemukan.") from None
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(f"Arsip {path} tidak dapat dibaca (rusak atau bukan arsip cadangan Loket): {exc}") from None
        try:
            yield tar
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise BackupError(f"Arsip {path} rusak dan tidak dapat dibaca sampai habis: {exc}") from None
        finally:
            tar.close()
    finally:
        if raw is not None:
            raw.close()


def _member_name(member: tarfile.TarInfo) -> str:
    """The member's name when it is safe to use, or a refusal: no absolute paths, no ``..``,
    no links or special files, nothing outside manifest.json, data.jsonl and media/."""
    name = member.name
    if member.isdir():
        name = name.rstrip("/")
    path = PurePosixPath(name)
    if (
        not name
        or "\x00" in name
        or path.is_absolute()
        or name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
        or any(part in ("..", ".", "") for part in name.split("/"))
    ):
        raise BackupError(
            f"Arsip ditolak: nama anggota '{member.name}' tidak aman (path absolut atau berisi '..'). "
            "Tidak ada yang diubah."
        )
    if not (member.isfile() or member.isdir()):
        raise BackupError(
            f"Arsip ditolak: anggota '{member.name}' bukan berkas biasa atau folder (tautan atau berkas khusus). "
            "Tidak ada yang diubah."
        )
    top = path.parts[0]
    if member.isfile() and name in (MANIFEST, DATA):
        return name
    if top == MEDIA and (member.isdir() or len(path.parts) > 1):
        return name
    raise BackupError(f"Arsip ditolak: anggota '{member.name}' tidak dikenal dalam arsip cadangan Loket.")


@dataclass
class _Archive:
    manifest: dict
    files: dict = field(default_factory=dict)  # name -> TarInfo
    dirs: list = field(default_factory=list)  # names


def _verify(tar: tarfile.TarFile) -> _Archive:
    """Check every member's name and type and its sha256 against the manifest."""
    archive = _Archive(manifest={})
    seen = set()
    members = tar.getmembers()
    # tarfile takes a damaged header after the first for the end of the archive: read the
    # compressed stream to its end, so that gzip checks its length and CRC.
    for _ in iter(lambda: tar.fileobj.read(1 << 20), b""):
        pass
    for member in members:
        name = _member_name(member)
        if name in seen:
            raise BackupError(f"Arsip ditolak: anggota '{name}' muncul dua kali.")
        seen.add(name)
        if member.isdir():
            archive.dirs.append(name)
        else:
            archive.files[name] = member
    if MANIFEST not in archive.files:
        raise BackupError("Arsip ditolak: manifest.json tidak ada (arsip terpotong, rusak, atau bukan arsip cadangan Loket).")
    try:
        manifest = json.load(tar.extractfile(archive.files[MANIFEST]))
    except ValueError as exc:
        raise BackupError(f"Arsip ditolak: manifest.json tidak dapat dibaca: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Arsip ditolak: manifest.json bukan manifes cadangan Loket.")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"Arsip memakai format cadangan versi {manifest.get('format_version')}, lebih baru daripada "
            f"yang dikenal Loket ini (versi {FORMAT_VERSION}). Pasang versi Loket yang membuat arsip ini."
        )
    listed = manifest.get("members") or {}
    if DATA not in listed:
        raise BackupError("Arsip ditolak: manifes tidak mencantumkan data.jsonl.")
    if any(not (name == MEDIA or name.startswith(MEDIA + "/")) for name in archive.dirs):
        raise BackupError("Arsip ditolak: folder di luar media/.")
    if archive.dirs and not manifest.get("media", {}).get("included"):
        raise BackupError("Arsip ditolak: berisi media/ padahal manifes menyatakan tidak ada berkas unggahan.")
    unlisted = sorted(set(archive.files) - set(listed) - {MANIFEST})
    if unlisted:
        raise BackupError(f"Arsip ditolak: anggota yang tidak tercantum di manifes: {', '.join(unlisted[:5])}.")
    missing = sorted(set(listed) - set(archive.files))
    if missing:
        raise BackupError(f"Arsip tidak lengkap: tidak ada {', '.join(missing[:5])}.")
    for name, member in archive.files.items():  # in archive order: a gzip stream only reads forward cheaply
        if name == MANIFEST:
            continue
        expected = listed[name]
        sha = hashlib.sha256()
        fh = tar.extractfile(member)
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
        if sha.hexdigest() != expected.get("sha256") or member.size != expected.get("size"):
            raise BackupError(
                f"Arsip rusak atau telah diubah: sidik sha256 {name} tidak cocok dengan manifes. "
                "Pemulihan ditolak; tidak ada yang diubah."
            )
    archive.manifest = manifest
    return archive


def _check_schema(manifest: dict, connection) -> list[str]:
    """Refuse an archive whose database had migrations this code does not know; warn about one
    from an older schema or another database."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    installed = {a.label for a in apps.get_app_configs()}
    archive = {(app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names}
    newer = sorted((app, name) for app, name in archive if app in installed and (app, name) not in known)
    if newer:
        shown = ", ".join(f"{app}.{name}" for app, name in newer[:5])
        raise BackupError(
            "Arsip dibuat oleh versi Loket yang lebih baru: migrasi berikut tidak dikenal kode ini: "
            f"{shown}. Pasang Loket versi {manifest.get('loket_version')} atau lebih baru, lalu pulihkan lagi. "
            "Tidak ada yang diubah."
        )
    unknown_models = sorted(
        label for label in (manifest.get("counts") or {})
        if label.split(".")[0] not in installed
    )
    if unknown_models:
        raise BackupError(
            f"Arsip berisi data aplikasi yang tidak terpasang: {', '.join(unknown_models[:5])}. Tidak ada yang diubah."
        )
    warnings = []
    code = {(app, name) for app, name in known if app in {a for a, _ in archive}}
    if code - archive:
        warnings.append(
            "Arsip berasal dari skema yang lebih lama; kolom baru diisi nilai bawaan dan migrasi data tidak dijalankan ulang."
        )
    if manifest.get("database_vendor") != connection.vendor:
        warnings.append(f"Data dipindahkan dari {manifest.get('database_vendor')} ke {connection.vendor}.")
    return warnings


def _migrate_if_needed(using: str) -> bool:
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        return True
    return False


# --- restoring -------------------------------------------------------------------------------------


def _lines(fileobj, sha):
    for line in fileobj:
        sha.update(line)
        yield line.decode("utf-8")


class _Writer:
    """Writes deserialised rows as they are, never through the models' own ``save()``.

    Rows of plain models (no many-to-many data, no parent model, no order_with_respect_to) go
    in batches through the same raw InsertQuery that ``Model.save_base(raw=True)`` runs for one
    row: no ``save()``, no pre_save (``auto_now`` keeps the archived value), no signals; about
    ten times faster than row by row. The other rows (users, groups) go through
    ``DeserializedObject.save()``, which is ``Model.save_base(raw=True)`` plus the
    many-to-many links."""

    MAX_BATCH = 500

    def __init__(self, using: str):
        self.using = using
        self.connection = connections[using]
        self.model = None
        self.fields: list = []
        self.size = 1
        self.batch: list = []

    @staticmethod
    def _plain(model) -> bool:
        opts = model._meta
        return not opts.parents and not opts.order_with_respect_to and not opts.local_many_to_many

    def add(self, deserialized) -> None:
        obj = deserialized.object
        model = type(obj)
        if deserialized.m2m_data or obj.pk is None or not self._plain(model):
            self.flush()
            deserialized.save(using=self.using, force_insert=True)
            return
        if model is not self.model:
            self.flush()
            self.model = model
            self.fields = [f for f in model._meta.local_concrete_fields if not f.generated]
            self.size = max(1, min(self.MAX_BATCH, self.connection.ops.bulk_batch_size(self.fields, [obj] * self.MAX_BATCH)))
        self.batch.append(obj)
        if len(self.batch) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.model._base_manager.using(self.using)._insert(self.batch, fields=self.fields, using=self.using, raw=True)
            self.batch = []


def _load(tar, archive: _Archive, using: str, allowed: set[str]) -> dict[str, int]:
    counts = {label: 0 for label in allowed}
    sha = hashlib.sha256()
    stream = tar.extractfile(archive.files[DATA])
    objects = serializers.deserialize("jsonl", _lines(stream, sha), using=using, handle_forward_references=False)
    writer = _Writer(using)
    for obj in objects:
        label = obj.object._meta.label_lower
        if label not in allowed:
            raise BackupError(f"Arsip berisi baris {label}, yang tidak dipulihkan dari cadangan. Tidak ada yang diubah.")
        writer.add(obj)
        counts[label] += 1
    writer.flush()
    for _ in iter(lambda: stream.read(1 << 20), b""):
        pass
    if sha.hexdigest() != archive.manifest["members"][DATA]["sha256"]:
        raise BackupError("Data berubah saat dibaca (sidik sha256 tidak cocok). Pemulihan dibatalkan; tidak ada yang diubah.")
    expected = {label: n for label, n in (archive.manifest.get("counts") or {}).items()}
    wrong = sorted(label for label in set(counts) | set(expected) if counts.get(label, 0) != expected.get(label, 0))
    if wrong:
        shown = ", ".join(f"{label} {counts.get(label, 0)}≠{expected.get(label, 0)}" for label in wrong[:5])
        raise BackupError(f"Jumlah baris tidak cocok dengan manifes ({shown}). Pemulihan dibatalkan; tidak ada yang diubah.")
    return counts


def _stage_media(tar, archive: _Archive, root: Path) -> Path:
    """Write the archive's media/ tree into a fresh folder beside MEDIA_ROOT."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent)).resolve()
    os.chmod(staging, 0o755)
    for name in sorted(archive.dirs):
        parts = PurePosixPath(name).parts[1:]
        if parts:
            _inside(staging, staging.joinpath(*parts)).mkdir(parents=True, exist_ok=True)
    for name, member in archive.files.items():
        if not name.startswith(MEDIA + "/"):
            continue
        target = _inside(staging, staging.joinpath(*PurePosixPath(name).parts[1:]))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, (member.mode & 0o666) | 0o600)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(tar.extractfile(member), out, 1 << 20)
        os.utime(target, (member.mtime, member.mtime))
    return staging


def _inside(base: Path, target: Path) -> Path:
    resolved = target.resolve()
    if resolved != base and base not in resolved.parents:
        raise BackupError(f"Arsip ditolak: {target} berada di luar MEDIA_ROOT. Tidak ada yang diubah.")
    return resolved


def _swap_media(staging: Path, root: Path) -> None:
    old = None
    if root.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{root.name}.old-", dir=root.parent))
        old.rmdir()
        os.rename(root, old)
    try:
        os.rename(staging, root)
    except OSError as exc:
        if old is not None:
            os.rename(old, root)
        raise BackupError(
            f"Basis data sudah dipulihkan, tetapi berkas unggahan tidak dapat dipindahkan ke {root}: {exc}. "
            f"Berkas hasil pemulihan ada di {staging}; pindahkan secara manual."
        ) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass
class RestoreReport:
    manifest: dict
    counts: dict
    media_files: int | None  # None: the archive had no media and MEDIA_ROOT was left alone
    migrated: bool
    warnings: list

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def restore(
    path: Path | str, *, confirmed: bool = False, using: str = DEFAULT_DB_ALIAS, passphrase: str | None = None
) -> RestoreReport:
    """Replace the database's rows and MEDIA_ROOT by the archive's, or change nothing. An
    encrypted archive needs its passphrase; the whole file is decrypted and checked first."""
    path = Path(path)
    connection = connections[using]
    secret = _Secret(passphrase) if passphrase is not None else None
    with _open(path, secret) as tar:
        archive = _verify(tar)
        manifest = archive.manifest
        warnings = _check_schema(manifest, connection)
        media = manifest.get("media") or {}
        root = _media_root()
        if media.get("included") and root is None:
            raise BackupError("Arsip berisi berkas unggahan, tetapi MEDIA_ROOT tidak diatur. Tidak ada yang diubah.")
        if not confirmed and database_has_data(using):
            raise BackupError(
                "Basis data ini sudah berisi data. Pemulihan akan MENGGANTI seluruh isinya dengan isi arsip "
                f"({manifest.get('created_at')}). Ulangi dengan --yes bila memang itu maksudnya. Tidak ada yang diubah."
            )
        migrated = _migrate_if_needed(using)
        models = restorable_models(using)
        allowed = {m._meta.label_lower for m in models}
        tables = [m._meta.db_table for m in models + _through_models(models) + _session_models()]
        present = _existing_tables(connection)
        staging = None
        try:
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    for sql in connection.ops.sql_flush(
                        no_style(), [t for t in tables if t in present], reset_sequences=True, allow_cascade=False
                    ):
                        cursor.execute(sql)
                counts = _load(tar, archive, using, allowed)
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models + _through_models(models)):
                        cursor.execute(sql)
                if media.get("included"):
                    staging = _stage_media(tar, archive, root)
        except BackupError:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
        except Exception as exc:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise BackupError(
                f"Pemulihan dibatalkan; basis data dan berkas unggahan tidak diubah. Sebab: {type(exc).__name__}: {exc}"
            ) from exc
    media_files = None
    if staging is not None:
        _swap_media(staging, root)
        media_files = sum(1 for name in archive.files if name.startswith(MEDIA + "/"))
    return RestoreReport(manifest=manifest, counts=counts, media_files=media_files, migrated=migrated, warnings=warnings)
