"""The query budgets of the copy of a person's data (UU 27/2022 Pasal 32): what grows from SMALL to
LARGE is what the office holds about the NIK and who read it: the person's dossiers, the access
records of their NIK and the exports of the register covering their dates. Each kind of record is
read in one query whatever its number (corrections, scans and papers of all the dossiers at once)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loket.privacy import requests
from loket.privacy.models import Access, Officer
from tests.support.budgets import case, each, same

BASE = "staf/privasi/subjek/"
NIK = "3577014508900001"  # the applicant of every dossier the budget world takes in

BUDGETS = {
    # the copy issued (the agenda's line, the Camat who signs, the paper stored), then given again
    f"{BASE}<str:code>/data.pdf": {"GET (issued: a new number)": 34, "GET (given again)": 15},
    f"{BASE}<str:code>/data.json": {"GET": 22},
    f"{BASE}<str:code>/catatan/": {"GET": 7},
    "api/v1/privacy/requests/<code>/data": {"GET (token)": 20},
    # the retention schedule: one count (dry run) or one statement (run) per record type, whatever
    # the number of rows due
    "staf/privasi/retensi/": {"GET": 25, "POST (redirect)": 42},
    "api/v1/privacy/retention/": {"GET (token)": 21, "POST (token)": 40},
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


def _request(w):
    return requests.request_record(office=w.office, actor=w.people["front"], kind="akses", nik=NIK,
                                   name="Siti Aminah", contact="", identity="ktp", identity_note="", details="Data?")


@case(f"{BASE}<str:code>/data.pdf", "GET (issued: a new number)", rows=True)
def _(w, n):
    _held(w, n)
    w.login("camat")
    return each(lambda: _request(w), lambda r: w.client.get(f"/{BASE}{r.code}/data.pdf"))


@case(f"{BASE}<str:code>/data.pdf", "GET (given again)")
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


def _due(w, n: int) -> None:
    """n access records three years old: past the default 24 months of catatan-akses."""
    requests.request_record(office=w.office, actor=w.people["front"], kind="akses", nik=NIK, name="Siti Aminah",
                            contact="", identity="ktp", identity_note="", details="Data saya.")
    old = timezone.now() - dt.timedelta(days=3 * 365)
    Access.objects.bulk_create(Access(office=w.office, actor=w.people["front"], at=old, kind="berkas",
                                      record=f"R{i}", subject_nik=NIK, fields="NIK", purpose="Halaman berkas")
                               for i in range(n))


def _officer(w) -> None:
    Officer.objects.get_or_create(office=w.office, defaults={
        "user": w.people["kasi_other"], "name": "Pejabat PDP", "position": "Kasubbag Umum", "telephone": "0351"})


@case("staf/privasi/retensi/", "GET")
def _(w, n):
    _officer(w)
    _due(w, n)
    w.login("kasi_other")
    return same(lambda: w.client.get("/staf/privasi/retensi/"))


@case("staf/privasi/retensi/", "POST (redirect)", 302)
def _(w, n):
    _officer(w)
    _due(w, n)
    w.login("camat")
    return same(lambda: w.client.post("/staf/privasi/retensi/", {}))


@case("api/v1/privacy/retention/", "GET (token)")
def _(w, n):
    _due(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get("/api/v1/privacy/retention/", **headers))


@case("api/v1/privacy/retention/", "POST (token)")
def _(w, n):
    _due(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.post("/api/v1/privacy/retention/", {}, content_type="application/json", **headers))
