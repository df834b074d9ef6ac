"""Checks for uploaded files (complaint attachments, PPAT documents), before anything is stored.

``upload_check`` decides what a file is from its first bytes, never from its name or from the
Content-Type the browser sent (both are whatever the sender chose), and refuses files that are
empty, too large or of a kind the caller did not allow. The size is taken from the upload's
``size`` (Django's upload handlers count the bytes actually received) or from seeking to the
end; only a stream that can do neither is read, in small chunks, and only up to the limit.

``safe_media_path`` turns a stored name into a path under MEDIA_ROOT and refuses anything that
could land elsewhere: absolute paths, drive letters, ``..``, backslashes, NUL and other control
characters, and symlinks that lead out of the root.

Knowing the kind does not make a file harmless (a valid PDF can carry JavaScript): serve
uploads only through a view that checks who asks, with ``Content-Disposition: attachment`` and
the sniffed type, never straight from MEDIA_URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_BYTES = 5 * 1024 * 1024  # the default of settings.LOKET_UPLOAD_MAX_BYTES

# Magic numbers, at offset 0. PDF readers tolerate junk before "%PDF-" within the first KiB;
# we do not: a file that starts with something else (an HTML page, say) is not accepted as PDF.
SIGNATURES: dict[str, bytes] = {
    "pdf": b"%PDF-",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}
LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}
HEAD_BYTES = max(len(s) for s in SIGNATURES.values())
CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """The upload is refused; ``str(exc)`` is the message for the citizen or clerk (Indonesian),
    ``exc.code`` one of "empty", "too_large", "wrong_type" (for forms: ValidationError(code=…))."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    text = f"{mb:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " MB"


def _known_size(file) -> int | None:
    """The size without reading: the upload's own count, else seek to the end and back."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and not isinstance(size, bool):
        return size
    seekable = getattr(file, "seekable", None)
    if callable(seekable) and seekable():
        here = file.tell()
        try:
            file.seek(0, os.SEEK_END)
            return file.tell()
        finally:
            file.seek(here)
    return None


def _rewind(file) -> None:
    seekable = getattr(file, "seekable", None)
    if hasattr(file, "seek") and (not callable(seekable) or seekable()):
        file.seek(0)


def _read(file, n: int) -> bytes:
    data = file.read(n)
    if isinstance(data, str):
        raise TypeError("upload_check needs a file opened in binary mode")
    return data or b""


def _too_large(max_bytes: int) -> UploadRefused:
    return UploadRefused(f"Berkas terlalu besar: ukuran paling besar {_megabytes(max_bytes)}.", code="too_large")


def upload_check(file, *, kinds: Iterable[str] = ("pdf", "jpeg", "png"), max_bytes: int | None = None) -> str:
    """Return the real kind of ``file`` ("pdf", "jpeg" or "png"), or raise UploadRefused.

    ``file`` is a Django UploadedFile or any binary file-like. It is left at position 0 when
    it can seek, ready to be saved; a stream that can neither tell its size nor seek is
    consumed by the check (count) and cannot be saved afterwards.

    The check runs once Django has received the upload: what stops a huge body before that is
    the reverse proxy's client_max_body_size, or an upload handler that stops early."""
    if max_bytes is None:
        max_bytes = getattr(settings, "LOKET_UPLOAD_MAX_BYTES", MAX_BYTES)
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in SIGNATURES]
    if unknown or not kinds:
        raise ValueError(f"unknown upload kinds {unknown or kinds!r}; known: {sorted(SIGNATURES)}")

    size = _known_size(file)
    if size is not None:
        if size == 0:
            raise UploadRefused("Berkas kosong: pilih berkas yang berisi.", code="empty")
        if size > max_bytes:
            raise _too_large(max_bytes)

    _rewind(file)
    head = _read(file, HEAD_BYTES)
    while len(head) < HEAD_BYTES:  # raw streams may return short reads
        more = _read(file, HEAD_BYTES - len(head))
        if not more:
            break
        head += more
    if not head:
        raise UploadRefused("Berkas kosong: pilih berkas yang berisi.", code="empty")
    if size is None:
        # Neither size nor seek: count the rest in chunks, holding none of it, up to the limit.
        counted = len(head)
        while counted <= max_bytes:
            chunk = _read(file, min(CHUNK, max_bytes + 1 - counted))
            if not chunk:
                break
            counted += len(chunk)
        if counted > max_bytes:
            raise _too_large(max_bytes)
    _rewind(file)

    for kind in kinds:
        if head.startswith(SIGNATURES[kind]):
            return kind
    allowed = ", ".join(LABELS[k] for k in kinds)
    raise UploadRefused(
        f"Jenis berkas tidak diterima: isi berkas bukan {allowed}. "
        "Nama atau ekstensi berkas tidak menentukan jenisnya.",
        code="wrong_type",
    )


def media_root() -> Path:
    """settings.MEDIA_ROOT, or the data folder's "media" when MEDIA_ROOT is not set."""
    root = getattr(settings, "MEDIA_ROOT", "") or ""
    if not root:
        data_dir = getattr(settings, "DATA_DIR", None)
        if not data_dir:
            raise ImproperlyConfigured("MEDIA_ROOT (or DATA_DIR) must be set to store uploads.")
        root = Path(data_dir) / "media"
    return Path(root).resolve()


def safe_media_path(name: str) -> Path:
    """The absolute path of stored name ``name`` (e.g. "pengaduan/2025/ab12.pdf") under the
    media root, or UploadRefused("…", code="bad_name") if it could point anywhere else."""
    refused = UploadRefused("Nama berkas tidak sah.", code="bad_name")
    if not isinstance(name, str) or not name.strip():
        raise refused
    if any(ord(ch) < 32 or ch == "\x7f" for ch in name):  # NUL and the other control characters
        raise refused
    if "\\" in name:  # a Windows separator: "..\\..\\x" would traverse on a Windows host
        raise refused
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.drive or windows.root:
        raise refused
    if ".." in posix.parts:
        raise refused

    root = media_root()
    path = (root / posix).resolve()  # follows symlinks: one that leads out of the root is caught here
    if path == root or not path.is_relative_to(root):
        raise refused
    return path


# --- storing and serving what was checked (complaint attachments, dossier scans) ---------------

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


def stored_name(kind: str) -> str:
    """A random file name for an upload of ``kind`` (as upload_check returned it): the sender's
    file name never becomes a path."""
    import uuid

    return f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}"


def upload_download(name: str, *, kind: str, filename: str, missing: str):
    """A stored upload (its storage name ``name``) as a download: always an attachment, with the
    type found from its content (``kind``) and nosniff, so a browser never renders it in the
    page; ``filename`` without extension. Http404(``missing``) when the stored name could point
    outside the media root or the file is gone. The caller has checked who asks."""
    from django.http import FileResponse, Http404

    try:
        path = safe_media_path(name)
    except UploadRefused:
        raise Http404(missing) from None
    if not path.is_file():
        raise Http404(missing)
    response = FileResponse(open(path, "rb"), content_type=CONTENT_TYPES[kind], as_attachment=True,
                            filename=f"{filename}.{EXTENSIONS[kind]}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
