"""The papers' rows of the authorization matrix: the Buku Agenda Surat Keluar, an issued
document (its page, PDF, reprint and electronic signature), the letter templates, the letter
of a dossier, and the public verification with the PDF upload.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loket.papers.models import Document
from tests.support.authz import PAGE, POST403, PUBLIC, PUBLIC_WEB, STAFF, S, Entry, builder, code_url, r


@builder
def legalisation(w, state=S.REGISTERED) -> Document:
    """The legalisation issued when the world's dossier was registered."""
    return Document.objects.get(reference=w.code(S.REGISTERED), kind=Document.Kind.LEGALISATION)


def doc_url(name, **query):
    suffix = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
    return lambda w: reverse(name, kwargs={"pk": w.legalisation().pk}) + suffix


ROWS: list[Entry] = [
    Entry("papers:agenda", "GET", PAGE, STAFF, r("papers:agenda")),
    Entry("papers:agenda_xlsx", "GET", PAGE, STAFF, r("papers:agenda_xlsx")),
    Entry("papers:agenda_pdf", "GET", PAGE, STAFF, r("papers:agenda_pdf")),
    # every staff member of the office may read and print its papers; another office's is a 404
    Entry("papers:document", "GET", PAGE, STAFF, doc_url("papers:document")),
    Entry("papers:download", "GET", PAGE, STAFF, doc_url("papers:download")),
    Entry("papers:print", "GET", PAGE, STAFF, doc_url("papers:print", kertas="F4", posisi="bawah")),
    # the printed signer alone signs (the Camat signed the world's dossier); without a
    # certificate the signer is sent back with the message how to get one (302)
    Entry("papers:sign", "POST", POST403, frozenset({"camat"}), doc_url("papers:sign"), ok=302,
          data=lambda w: {"passphrase": "salah"}),
    # the letter templates: the office's Admin
    Entry("papers:templates", "GET", PAGE, frozenset({"admin"}), r("papers:templates")),
    Entry("papers:templates", "POST", POST403, frozenset({"admin"}), r("papers:templates"), ok=400,
          data=lambda w: {"code": "", "title": ""}),
    Entry("papers:template_download", "GET", PAGE, frozenset({"admin"}),
          r("papers:template_download", code="rekomendasi-umum")),
    # a dossier's letter: the front office and the Kasi of its unit; the mini office's one
    # service writes no letter, so past the role check the answer is "no such template" (404)
    Entry("dossiers:letter", "GET", PAGE, frozenset({"front", "kasi"}),
          code_url("dossiers:letter", S.SIGNED, template="rekomendasi-umum"), ok=404),
    Entry("dossiers:letter", "POST", POST403, frozenset({"front", "kasi"}),
          code_url("dossiers:letter", S.SIGNED, template="rekomendasi-umum"), ok=404, data=lambda w: {"kertas": "A4"}),
    # anyone may check a paper by uploading its PDF
    Entry("verify_detail", "POST", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("verify_detail", kwargs={"code": w.legalisation().verification_code}),
          data=lambda w: {"berkas": SimpleUploadedFile("x.pdf", b"%PDF-1.4 bukan naskah", "application/pdf")}),
]
