"""The query budgets of the copy of a person's data (UU 27/2022 Pasal 32): what grows from SMALL to
LARGE is what the office holds about the NIK and who read it: the person's dossiers, the access
records of their NIK and the exports of the register covering their dates. Each kind of record is
read in one query whatever its number (corrections, scans and papers of all the dossiers at once)."""

from __future__ import annotations

from django.utils import timezone

from loket.privacy import requests
from loket.privacy.models import Access
from tests.support.budgets import case, same

BASE = "staf/privasi/subjek/"
NIK = "3577014508900001"  # the applicant of every dossier the budget world takes in

BUDGETS = {
    f"{BASE}<str:code>/data.pdf": {"GET": 24},  # with the Camat who signs the letter
    f"{BASE}<str:code>/data.json": {"GET": 22},
    f"{BASE}<str:code>/catatan/": {"GET": 7},
    "api/v1/privacy/requests/<code>/data": {"GET (token)": 20},
}


def _held(w, n: int):
    """n dossiers of NIK (one in three handed over, so with its register line), n readings of it and
    n exports of the register covering today, and an access request for it."""
    w.dossiers(n, "received", "forwarded", "handed_over")
    now, today = timezone.now(), timezone.localdate()
    Access.objects.bulk_create(
        [Access(office=w.office, actor=w.people["front"], at=now, kind="berkas", record=f"BERKAS{k}", subject_nik=NIK,
                fields="NIK, alamat", purpose="Halaman berkas") for k in range(n)]
        + [Access(office=w.office, actor=w.people["kasi"], at=now, kind="register", fields="NIK, nama",
                  purpose="Ekspor buku register pelayanan (XLSX)", period_start=today, period_end=today)
           for _ in range(n)])
    return requests.request_record(office=w.office, actor=w.people["front"], kind="akses", nik=NIK, name="Siti Aminah",
                                   contact="", identity="ktp", identity_note="", details="Apa yang disimpan?")


@case(f"{BASE}<str:code>/data.pdf", "GET", rows=True)
def _(w, n):
    r = _held(w, n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{r.code}/data.pdf"))


@case(f"{BASE}<str:code>/data.json", "GET", rows=True)
def _(w, n):
    r = _held(w, n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{r.code}/data.json"))


@case(f"{BASE}<str:code>/catatan/", "GET", rows=True)
def _(w, n):
    r = _held(w, n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{r.code}/catatan/"))


@case("api/v1/privacy/requests/<code>/data", "GET (token)", rows=True)
def _(w, n):
    r = _held(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get(f"/api/v1/privacy/requests/{r.code}/data", **headers))
