"""Kode klasifikasi arsip of a service: the code its papers are filed under and numbered with.

The codes are those of Permendagri No. 83 Tahun 2022 tentang Pedoman Kode Klasifikasi Arsip di
Lingkungan Kementerian Dalam Negeri dan Pemerintah Daerah (Lampiran): a three-digit main code
(000 Umum … 900 Keuangan) followed by sub-codes, each after a dot, e.g. 400.12.2.1
(Kependudukan dan Pencatatan Sipil › Pendaftaran Penduduk › Identitas Penduduk). Which code
each bundled service carries, and why some are left blank, is in docs/papers.md.
"""

from __future__ import annotations

import re

from loket.core.errors import InvalidInput

# Digits with dots: the three-digit main code, then up to four sub-codes of one to three digits.
ARCHIVE_CODE_PATTERN = r"^\d{3}(?:\.\d{1,3}){0,4}$"
_ARCHIVE_CODE = re.compile(ARCHIVE_CODE_PATTERN)
ARCHIVE_CODE_EXAMPLE = "400.12.2.1"


def archive_code_problem(*, code: str, service: str) -> str | None:
    """The Indonesian message for a malformed code, naming the service; None when the code is
    blank (allowed: not every service has a clear class) or well formed."""
    code = (code or "").strip()
    if not code or _ARCHIVE_CODE.fullmatch(code):
        return None
    return (
        f"Kode klasifikasi arsip '{code}' pada jenis pelayanan {service} tidak sah: tulis angka "
        f"yang dipisah titik menurut Permendagri 83/2022, misalnya {ARCHIVE_CODE_EXAMPLE}."
    )


def archive_code_check(*, code: str, service: str) -> str:
    """The code, stripped, or ``InvalidInput`` (field ``archive_code``) when it is malformed."""
    problem = archive_code_problem(code=code, service=service)
    if problem:
        raise InvalidInput({"archive_code": [problem]})
    return (code or "").strip()
