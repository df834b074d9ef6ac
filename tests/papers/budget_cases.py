"""The papers' query budgets: the Buku Agenda Surat Keluar and its exports, an issued paper
(page, PDF, reprint, electronic signature), the letter templates and a dossier's letter.

How to add one: tests/support/README.md. What grows from SMALL to LARGE is named in the
comment of each route."""

from __future__ import annotations

from loket.papers.models import Document
from tests.support.budgets import S, PerRow, case, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    "staf/naskah/agenda/": {"GET": 6},  # agenda lines and their papers
    "staf/naskah/agenda/ekspor.xlsx": {"GET": 5},  # agenda lines
    "staf/naskah/agenda/ekspor.pdf": {"GET": 5},  # agenda lines
    "staf/naskah/<int:pk>/": {"GET": 6},  # nothing grows: one paper
    "staf/naskah/<int:pk>/pdf": {"GET": 6},
    "staf/naskah/<int:pk>/cetak": {"GET": 6},
    "staf/naskah/<int:pk>/tandatangan": {"POST (no certificate, redirect)": 11},  # the paper locked, the certificate looked up
    "staf/naskah/templat/": {"GET": 7, "POST (invalid, 400)": 7},  # the office's templates
    "staf/naskah/templat/<slug:code>.docx": {"GET": 5},
    "staf/berkas/<str:code>/surat/<slug:template>/": {"GET (no letter for this service, 404)": 11,
                                                       "POST (no letter for this service, 404)": 11},
}


def _paper(w) -> Document:
    d = w.dossier(S.REGISTERED)
    return Document.objects.get(reference=d.code)


@case("staf/naskah/agenda/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    w.login("front")
    return same(lambda: w.client.get("/staf/naskah/agenda/"))


@case("staf/naskah/agenda/ekspor.xlsx", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    w.login("front")
    return same(lambda: w.client.get("/staf/naskah/agenda/ekspor.xlsx"))


@case("staf/naskah/agenda/ekspor.pdf", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    w.login("front")
    return same(lambda: w.client.get("/staf/naskah/agenda/ekspor.pdf"))


@case("staf/naskah/<int:pk>/", "GET")
def _(w, n):
    doc = _paper(w)
    w.login("camat")
    return same(lambda: w.client.get(f"/staf/naskah/{doc.pk}/"))


@case("staf/naskah/<int:pk>/pdf", "GET")
def _(w, n):
    doc = _paper(w)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/naskah/{doc.pk}/pdf"))


@case("staf/naskah/<int:pk>/cetak", "GET")
def _(w, n):
    doc = _paper(w)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/naskah/{doc.pk}/cetak?kertas=F4&posisi=bawah"))


@case("staf/naskah/<int:pk>/tandatangan", "POST (no certificate, redirect)", 302)
def _(w, n):
    doc = _paper(w)
    w.login(next(role for role in ("camat", "sekcam") if w.people[role].pk == doc.signer_id))  # the printed signer
    return same(lambda: w.client.post(f"/staf/naskah/{doc.pk}/tandatangan", {"passphrase": "x"}))


@case("staf/naskah/templat/", "GET")
def _(w, n):
    w.login("admin")
    return same(lambda: w.client.get("/staf/naskah/templat/"))


@case("staf/naskah/templat/", "POST (invalid, 400)", 400)
def _(w, n):
    w.login("admin")
    return same(lambda: w.client.post("/staf/naskah/templat/", {"code": "", "title": ""}))


@case("staf/naskah/templat/<slug:code>.docx", "GET")
def _(w, n):
    w.login("admin")
    return same(lambda: w.client.get("/staf/naskah/templat/rekomendasi-umum.docx"))


@case("staf/berkas/<str:code>/surat/<slug:template>/", "GET (no letter for this service, 404)", 404)
def _(w, n):
    d = w.dossier(S.SIGNED)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/surat/rekomendasi-umum/"))


@case("staf/berkas/<str:code>/surat/<slug:template>/", "POST (no letter for this service, 404)", 404)
def _(w, n):
    d = w.dossier(S.SIGNED)
    w.login("front")
    return same(lambda: w.client.post(f"/staf/berkas/{d.code}/surat/rekomendasi-umum/", {"kertas": "A4"}))
