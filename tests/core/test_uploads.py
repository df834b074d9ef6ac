"""Upload checks: the kind comes from the content, not the name or the browser's content type;
empty, too large and wrong kinds are refused without reading big files; stored names cannot
point outside the media root."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core.uploads import MAX_BYTES, UploadRefused, media_root, safe_media_path, upload_check

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 48  # also what a .docx/.xlsx is


def upload(content: bytes, name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class VirtualFile(io.RawIOBase):
    """A seekable file of `size` bytes starting with `head` that exists only as a length:
    it counts every byte read, so a test can tell whether the check read the whole file."""

    def __init__(self, size: int, head: bytes = b"%PDF-1.7\n"):
        self.length, self.head, self.pos, self.bytes_read = size, head, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=os.SEEK_SET):
        self.pos = {os.SEEK_SET: 0, os.SEEK_CUR: self.pos, os.SEEK_END: self.length}[whence] + offset
        return self.pos

    def read(self, n=-1):
        end = self.length if n is None or n < 0 else min(self.length, self.pos + n)
        out = bytes(self.head[i] if i < len(self.head) else 0 for i in range(self.pos, min(end, len(self.head))))
        out += b"\x00" * (end - self.pos - len(out))
        self.bytes_read += len(out)
        self.pos = end
        return out


class Stream:
    """A pipe-like stream: no size, no seek; records the largest single read."""

    def __init__(self, size: int, head: bytes = b"%PDF-1.7\n"):
        self.inner, self.largest_read = VirtualFile(size, head), 0

    def read(self, n=-1):
        data = self.inner.read(n)
        self.largest_read = max(self.largest_read, len(data))
        return data

    @property
    def bytes_read(self):
        return self.inner.bytes_read


# --- the kind comes from the content ---------------------------------------------------------

def test_a_pdf_named_jpg_and_sent_as_image_is_recognised_as_pdf():
    assert upload_check(upload(PDF, "foto_ktp.jpg", "image/jpeg")) == "pdf"


@pytest.mark.parametrize("content, kind", [(PDF, "pdf"), (JPEG, "jpeg"), (PNG, "png")])
def test_each_allowed_kind_is_recognised_whatever_its_name(content, kind):
    assert upload_check(upload(content, "berkas.txt", "text/plain")) == kind


def test_an_html_page_named_pdf_is_refused():
    with pytest.raises(UploadRefused) as exc:
        upload_check(upload(HTML, "akta_jual_beli.pdf", "application/pdf"))
    assert exc.value.code == "wrong_type"
    assert "bukan PDF, JPEG, PNG" in str(exc.value)


def test_html_with_a_pdf_signature_later_in_the_file_is_refused():
    # PDF readers accept "%PDF-" anywhere in the first KiB; the check does not.
    with pytest.raises(UploadRefused):
        upload_check(upload(b"<html>" + PDF, "x.pdf", "application/pdf"))


@pytest.mark.parametrize("content, name", [
    (EXE, "scan.pdf"), (EXE, "setup.exe"), (ZIP, "lampiran.zip"), (ZIP, "surat.docx"), (ZIP, "ktp.png"),
])
def test_executables_and_archives_are_refused(content, name):
    with pytest.raises(UploadRefused) as exc:
        upload_check(upload(content, name, "application/pdf"))
    assert exc.value.code == "wrong_type"


def test_kinds_narrows_what_is_accepted():
    assert upload_check(upload(PDF, "a.pdf", "application/pdf"), kinds=("pdf",)) == "pdf"
    with pytest.raises(UploadRefused) as exc:
        upload_check(upload(PNG, "a.png", "image/png"), kinds=("pdf",))
    assert "bukan PDF." in str(exc.value)


def test_an_unknown_kind_is_a_programming_error_not_a_refusal():
    with pytest.raises(ValueError) as exc:
        upload_check(upload(PDF, "a.pdf", "application/pdf"), kinds=("pdf", "docx"))
    assert not isinstance(exc.value, UploadRefused)


def test_refusal_is_a_value_error_with_an_indonesian_message():
    with pytest.raises(ValueError, match="Jenis berkas tidak diterima"):
        upload_check(upload(HTML, "a.pdf", "application/pdf"))


def test_a_truncated_signature_is_refused():
    with pytest.raises(UploadRefused):
        upload_check(upload(b"\x89PNG", "a.png", "image/png"))


def test_the_file_is_left_rewound_for_saving():
    f = upload(PDF, "a.pdf", "application/pdf")
    f.read(3)
    upload_check(f)
    assert f.tell() == 0 and f.read() == PDF


# --- empty and too large ----------------------------------------------------------------------

def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused) as exc:
        upload_check(upload(b"", "kosong.pdf", "application/pdf"))
    assert exc.value.code == "empty"
    assert "kosong" in str(exc.value)


def test_an_empty_stream_without_size_is_refused():
    with pytest.raises(UploadRefused) as exc:
        upload_check(Stream(0))
    assert exc.value.code == "empty"


def test_five_megabytes_plus_one_is_refused_from_the_upload_size_without_reading():
    big = VirtualFile(MAX_BYTES + 1)
    big.size = MAX_BYTES + 1  # what Django's upload handlers set: the bytes actually received
    with pytest.raises(UploadRefused) as exc:
        upload_check(big)
    assert exc.value.code == "too_large" and "5 MB" in str(exc.value)
    assert big.bytes_read == 0


def test_five_megabytes_plus_one_is_refused_by_seeking_without_reading():
    big = VirtualFile(MAX_BYTES + 1)
    with pytest.raises(UploadRefused) as exc:
        upload_check(big)
    assert exc.value.code == "too_large"
    assert big.bytes_read == 0


def test_a_stream_without_size_or_seek_is_counted_in_small_chunks_up_to_the_limit():
    stream = Stream(50 * MAX_BYTES)
    with pytest.raises(UploadRefused) as exc:
        upload_check(stream)
    assert exc.value.code == "too_large"
    assert stream.bytes_read == MAX_BYTES + 1  # stops right after the limit, not at 250 MB
    assert stream.largest_read <= 64 * 1024  # and never holds more than a chunk


def test_exactly_five_megabytes_is_accepted():
    f = VirtualFile(MAX_BYTES)
    assert upload_check(f) == "pdf"
    assert f.bytes_read < 64 and f.tell() == 0
    assert upload_check(Stream(MAX_BYTES)) == "pdf"


def test_a_simple_uploaded_file_over_the_limit_is_refused():
    f = upload(b"%PDF-" + b"\x00" * MAX_BYTES, "besar.pdf", "application/pdf")
    assert f.size == MAX_BYTES + 5
    with pytest.raises(UploadRefused, match="terlalu besar"):
        upload_check(f)


def test_a_large_upload_spooled_to_disk_by_django_is_checked_the_same_way(settings, tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    f = TemporaryUploadedFile("scan.jpg", "image/jpeg", 0, None)
    f.write(PDF + b"\x00" * 4096)
    f.size = f.tell()
    try:
        assert upload_check(f) == "pdf"
        f.size = MAX_BYTES + 1
        with pytest.raises(UploadRefused):
            upload_check(f)
    finally:
        f.close()


def test_max_bytes_is_configurable():
    with pytest.raises(UploadRefused, match="1 MB"):
        upload_check(VirtualFile(1024 * 1024 + 1), max_bytes=1024 * 1024)


# --- stored names -----------------------------------------------------------------------------

@pytest.fixture
def root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    return (tmp_path / "media").resolve()


def test_a_normal_name_resolves_inside_the_root(root):
    path = safe_media_path("pengaduan/2025/ab12cd.pdf")
    assert path == root / "pengaduan" / "2025" / "ab12cd.pdf"
    assert path.is_absolute() and path.is_relative_to(root)


def test_a_dot_segment_is_harmless(root):
    assert safe_media_path("ppat/./akta.pdf") == root / "ppat" / "akta.pdf"


@pytest.mark.parametrize("name", [
    "/etc/passwd",
    "//etc/passwd",
    "../secret_key",
    "..",
    "pengaduan/../../secret_key",
    "pengaduan/../akta.pdf",  # stays inside, but ".." is refused outright
    "a/b/../../../x",
    "..\\..\\secret_key",
    "pengaduan\\..\\x.pdf",
    "C:\\Windows\\win.ini",
    "C:/Windows/win.ini",
    "C:win.ini",
    "\\\\server\\share\\x",
    "akta.pdf\x00.jpg",
    "akta\n.pdf",
    "",
    "   ",
    ".",
    "./",
])
def test_traversal_and_odd_names_are_refused(root, name):
    with pytest.raises(UploadRefused) as exc:
        safe_media_path(name)
    assert exc.value.code == "bad_name"


def test_a_non_string_is_refused(root):
    with pytest.raises(UploadRefused):
        safe_media_path(None)
    with pytest.raises(UploadRefused):
        safe_media_path(b"akta.pdf")


def test_a_symlink_leading_out_of_the_root_is_refused(root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    (root / "keluar").symlink_to(outside, target_is_directory=True)
    (root / "kunci.pdf").symlink_to(outside / "secret.txt")
    for name in ["keluar/secret.txt", "keluar", "kunci.pdf", "keluar/baru.pdf"]:
        with pytest.raises(UploadRefused):
            safe_media_path(name)


def test_a_symlink_inside_the_root_is_followed(root):
    (root / "arsip").mkdir()
    (root / "terbaru").symlink_to(root / "arsip", target_is_directory=True)
    assert safe_media_path("terbaru/akta.pdf") == root / "arsip" / "akta.pdf"


def test_a_root_that_is_itself_a_symlink_works(settings, tmp_path):
    real = tmp_path / "disk2" / "media"
    real.mkdir(parents=True)
    (tmp_path / "media_link").symlink_to(real, target_is_directory=True)
    settings.MEDIA_ROOT = str(tmp_path / "media_link")
    assert safe_media_path("a.pdf") == real.resolve() / "a.pdf"


def test_without_media_root_the_data_folder_is_used(settings, tmp_path):
    settings.MEDIA_ROOT = ""
    settings.DATA_DIR = tmp_path
    assert media_root() == (tmp_path / "media").resolve()
    assert safe_media_path("x/y.png") == (tmp_path / "media" / "x" / "y.png").resolve()


def test_media_is_not_served_as_a_folder(client, tmp_path, settings, db):
    # Attachments leave only through permission-checked views; /media/ is no public folder.
    # (db: the styled 404 page names the office in its header and ways back.)
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "ktp.pdf").write_bytes(b"%PDF-1.4 secret")
    assert client.get("/media/ktp.pdf").status_code == 404


def test_request_bodies_are_bounded(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10
