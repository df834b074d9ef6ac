"""Where demo passwords go besides the terminal, so a user who missed them can find them."""

import os

from django.conf import settings


def write_demo_accounts(accounts) -> str:
    path = settings.DATA_DIR / "demo-accounts.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as fh:
        for a in accounts:
            fh.write(f"{a.username}\t{a.password}\t{a.position}\n")
    return str(path)


# --- a second office, for trying out a multi-office install ------------------------------------

# Kecamatan Taman, Kota Madiun: its Kemendagri region code and kelurahan as in Permendagri
# 72/2019 (the numbering of Kartoharjo's 35.77.01 and its kelurahan), unchanged in Kepmendagri
# No. 300.2.2-2138 Tahun 2025 (Kode dan Data Wilayah Administrasi Pemerintahan); checked against
# the code tables of github.com/cahyadsn/wilayah (2020 and 2025). Nothing else about the office
# (address, telephone, Camat) is filled in: the demo leaves those to be typed in the admin.
SECOND_OFFICE = {
    "slug": "taman",
    "region_code": "35.77.03",
    "government": "PEMERINTAH KOTA MADIUN",
    "name": "Kecamatan Taman",
    "city": "Kota Madiun",
    "province": "Jawa Timur",
    "head": {"title": "Camat Taman", "name": "(data demo: isi nama Camat di admin)"},
    "maklumat": "",
}
SECOND_OFFICE_KELURAHAN = [
    ("35.77.03.1001", "Mojorejo"), ("35.77.03.1002", "Pandean"), ("35.77.03.1003", "Banjarejo"),
    ("35.77.03.1004", "Kuncen"), ("35.77.03.1005", "Manisrejo"), ("35.77.03.1006", "Kejuron"),
    ("35.77.03.1007", "Josenan"), ("35.77.03.1008", "Demangan"), ("35.77.03.1009", "Taman"),
]
SECOND_OFFICE_PREFIX = "taman."  # its demo accounts: taman.admin, taman.petugas …


def standard_for_office(*, path, office: dict, kelurahan: list[tuple[str, str]], demo: bool = True):
    """The standard in ``path`` copied for another office: that office's details and kelurahan,
    the same units and services, and an edition titled as a demo copy so that nobody takes it
    for the office's own signed standard. Validated like any standard file."""
    from loket.catalog.standard_file import StandardFile, parse_standard_file

    source = parse_standard_file(path)
    data = source.model_dump()
    original = source.office.name
    data["office"] = {**office}
    data["kelurahan"] = [{"code": code, "name": name} for code, name in kelurahan]
    if demo:
        data["edition"]["title"] = (
            f"DATA DEMO — salinan {source.edition.title} untuk {office['name']} (bukan standar yang ditandatangani)"
        )
        data["edition"]["signer"] = {**office["head"], "rank": "", "nip": ""}
        data["edition"]["signed_place_date"] = f"Data demo, disalin dari standar {original}"
    return StandardFile.model_validate(data)
