"""The query budgets of the privacy index and the record of who read what: what grows from SMALL
to LARGE is the office's access rows (one query for the page of them, newest first, capped at
``selectors.ACCESS_LIMIT``). The index reads the officer, the retention periods and the last run,
one query each."""

from __future__ import annotations

from django.utils import timezone

from loket.privacy.models import Access, Officer
from tests.support.budgets import case, same

BUDGETS = {
    "staf/privasi/": {"GET": 7},
    "staf/privasi/akses/": {"GET": 7},
    "api/v1/privacy/access/": {"GET (token)": 3},
}


def _rows(w, n: int) -> None:
    Officer.objects.get_or_create(office=w.office, defaults={
        "user": w.people["kasi_other"], "name": "Pejabat PDP", "position": "Kasubbag Umum", "telephone": "0351"})
    Access.objects.bulk_create(
        Access(office=w.office, actor=w.people[("front", "kasi", "sekcam")[i % 3]], at=timezone.now(),
               kind="berkas", record=f"B{i:05d}", subject_nik=f"35770145089{i:05d}", fields="NIK, alamat",
               purpose="Halaman berkas")
        for i in range(n))


@case("staf/privasi/", "GET")
def _(w, n):
    w.login("camat")
    return same(lambda: w.client.get("/staf/privasi/"))


@case("staf/privasi/akses/", "GET", rows=True)
def _(w, n):
    _rows(w, n)
    w.login("kasi_other")
    return same(lambda: w.client.get("/staf/privasi/akses/", {"jenis": "berkas"}))


@case("api/v1/privacy/access/", "GET (token)", rows=True)
def _(w, n):
    _rows(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get("/api/v1/privacy/access/", **headers))
