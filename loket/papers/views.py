"""Screens of issued papers: the Buku Agenda Surat Keluar (screen, XLSX, PDF), one document
(download, reprint of a legalisation on A4/F4, electronic signature), and the public
verification of a paper by its code and by an uploaded PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from loket.core.errors import LoketError
from loket.core.inputs import period_filters
from loket.core.tables import clean, local, table_pdf, table_xlsx
from loket.core.web import file_response, public_url, staff_required
from loket.offices.roles import staff_of
from loket.papers import legalisation, selectors, services
from loket.papers.models import Document, SigningCredential

MAX_UPLOAD = 20 * 1024 * 1024  # a scanned-and-signed letter is a few MB; anything bigger is not ours


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request) -> tuple[dict, list[str]]:
    return period_filters(request.GET)


@staff_required
@require_GET
def agenda(request):
    office = staff_of(request.user).office
    f, problems = _filters(request)
    page = Paginator(selectors.agenda_entries(office=office, **f), 50).get_page(request.GET.get("hal"))
    query = request.GET.copy()
    query.pop("hal", None)
    return render(request, "papers/agenda.html", {"page": page, "f": f, "problems": problems, "query": query.urlencode()})


HEADERS = ["No. Agenda", "Tanggal", "Nomor Surat", "Jenis", "Perihal", "Kepada", "Lampiran", "Penandatangan",
           "TTE", "Rujukan"]
XLSX_WIDTHS = [11, 17, 30, 16, 45, 30, 9, 40, 6, 13]
PDF_WIDTHS_MM = [16, 24, 40, 20, 55, 36, 13, 42, 9, 20]


def _rows(entries):
    for e in entries.iterator(chunk_size=500):
        d = getattr(e, "document", None)
        yield (
            e.number_display, local(e.entered_at), clean(d.number if d else ""), clean(d.get_kind_display() if d else ""),
            clean(e.subject), clean(e.name), str(d.attachments) if d and d.attachments else "-", clean(e.signer),
            "Ya" if e.signed else "-", clean(e.reference),
        )


@staff_required
@require_GET
def agenda_export(request, fmt):
    office = staff_of(request.user).office
    f, problems = _filters(request)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect(f"{reverse('papers:agenda')}?{request.GET.urlencode()}")
    entries = selectors.agenda_entries(office=office, **f)
    title = f"Buku Agenda Surat Keluar {f['year']}" if f["year"] else "Buku Agenda Surat Keluar"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"agenda-surat-keluar-{office.slug}-{stamp}"
    if fmt == "xlsx":
        out = table_xlsx(_rows(entries), office=office, title=title, sheet="Agenda", headers=HEADERS,
                         widths=XLSX_WIDTHS, date_columns=(1,))
        return FileResponse(out, as_attachment=True, filename=f"{name}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    pdf = table_pdf(_rows(entries), office=office, title=title, headers=HEADERS, widths_mm=PDF_WIDTHS_MM,
                    date_columns=(1,), empty_text="Belum ada surat keluar.")
    return file_response(pdf, filename=f'{name}.pdf')


def _document(request, pk: int) -> Document:
    """A document of the reader's own office; another office's is a 404, not a 403 (its
    existence is not told)."""
    document = Document.objects.select_related("office").filter(pk=pk, office=staff_of(request.user).office).first()
    if document is None:
        raise Http404(_("Naskah tidak ditemukan."))
    return document


@staff_required
@require_GET
def document_detail(request, pk):
    document = _document(request, pk)
    return render(request, "papers/document.html", {
        "document": document, "data": selectors.document_public(document),
        "can_sign": (can_sign := services.may_sign(document=document, actor=request.user)),
        "has_credential": can_sign and SigningCredential.objects.filter(user=request.user, active=True).exists(),
        "remote": services.remote_signer() is not None,
        "papers": legalisation.PAPERS, "positions": legalisation.POSITIONS,
    })


@staff_required
@require_GET
def document_download(request, pk):
    document = _document(request, pk)
    data = services.document_pdf(document)  # the signed PDF once signed, else the one issued
    return file_response(data, filename=f'{document.kind}-{document.verification_code}.pdf', inline=True)


@staff_required
@require_GET
def document_print(request, pk):
    """A legalisation on another paper size or position than the stored one: the same facts."""
    document = _document(request, pk)
    if document.kind != Document.Kind.LEGALISATION:
        raise Http404(_("Hanya naskah legalisasi yang dapat dicetak ulang pada kertas lain."))
    paper = request.GET.get("kertas", "A4")
    position = request.GET.get("posisi", "pojok")
    if paper not in legalisation.PAPERS or position not in legalisation.POSITIONS:
        raise Http404(_("Ukuran kertas atau posisi tidak dikenal."))
    from loket.papers.products import endorsement_of

    pdf = legalisation.legalisation_pdf(
        endorsement_of(document, public_base=public_url(request, "/").rstrip("/")), paper=paper, position=position)
    return file_response(pdf, filename=f'legalisasi-{document.verification_code}-{paper}-{position}.pdf', inline=True)


@staff_required
@require_POST
def document_sign(request, pk):
    document = _document(request, pk)
    try:  # PermissionDenied (not the printed signer) goes through: 403
        if request.POST.get("cara") == "remote":
            services.document_sign_remote(document_id=document.pk, actor=request.user, nik=request.POST.get("nik", ""),
                                          passphrase=request.POST.get("passphrase", ""))
        else:
            services.document_sign(document_id=document.pk, actor=request.user,
                                   passphrase=request.POST.get("passphrase", ""))
    except LoketError as exc:
        messages.error(request, " ".join(sum(exc.errors.values(), [])) if hasattr(exc, "errors") else str(exc))
    else:
        messages.success(request, _("Naskah %(n)s ditandatangani secara elektronik.") % {"n": document.number})
    return redirect("papers:document", pk=document.pk)


def document_verify(request, document: Document, code: str, case: dict | None = None):
    """/verifikasi/<code>/ for an issued paper (dossiers.views.verify_detail hands it over after
    the rate limit): its printed facts, and an uploaded PDF checked against it."""
    context = {"data": selectors.document_public(document), "code": code, "case": case}
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            context["upload_error"] = _("Pilih berkas PDF yang hendak diperiksa.")
        elif upload.size > MAX_UPLOAD:
            context["upload_error"] = _("Berkas terlalu besar (lebih dari 20 MB); ini bukan naskah yang diterbitkan Loket.")
        else:
            data = upload.read()
            if not data.startswith(b"%PDF"):
                context["upload_error"] = _("Berkas ini bukan PDF.")
            else:
                context["upload_result"] = selectors.document_upload_check(document, data)
    return render(request, "papers/verify.html", context, status=400 if context.get("upload_error") else 200)


def _admin_office(request):
    office = staff_of(request.user).office
    if not services.may_manage_templates(actor=request.user, office=office):
        raise PermissionDenied(_("Templat surat dikelola oleh Admin kantor."))
    return office


@staff_required
def templates(request):
    """The office's letter templates: the bundled ones, the office's own (active and retired),
    a download of each to edit in Word, and the upload of a new one (checked at once)."""
    from loket.catalog.selectors import edition_active
    from loket.papers import letters
    from loket.papers.models import LetterTemplate

    office = _admin_office(request)
    errors: dict = {}
    if request.method == "POST":
        upload = request.FILES.get("docx")
        try:
            row = services.letter_template_upload(
                office=office, actor=request.user, code=request.POST.get("code", ""), title=request.POST.get("title", ""),
                service_code=request.POST.get("service_code", ""), docx=upload.read() if upload else b"",
            )
        except LoketError as exc:
            errors = getattr(exc, "errors", {"docx": [str(exc)]})
            messages.error(request, _("Templat belum disimpan; periksa isian yang ditandai. Tidak ada yang berubah."))
        else:
            messages.success(request, _("Templat %(t)s disimpan dan dipakai mulai sekarang.") % {"t": row.title})
            return redirect("papers:templates")
    edition = edition_active(office=office)
    return render(request, "papers/templates.html", {
        "bundled": letters.BUNDLED, "own": LetterTemplate.objects.filter(office=office).order_by("code", "-uploaded_at"),
        "fields": letters.SAFE_FIELDS, "errors": errors, "typed": request.POST,
        "services": edition.services.order_by("number") if edition else [],
    }, status=400 if errors else 200)


@staff_required
@require_GET
def template_download(request, code):
    """The .docx to edit: the office's active one of ``code``, else the bundled one."""
    from loket.papers import letters
    from loket.papers.products import letter_template_bytes

    office = _admin_office(request)
    try:
        data = letter_template_bytes(office=office, code=code)
    except letters.LetterTemplateError as exc:
        raise Http404(str(exc)) from exc
    return file_response(data, filename=f"{code}.docx", content_type=DOCX_TYPE)
