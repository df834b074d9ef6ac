"""Staff SKM screens that collect responses: the kiosk (a tablet at the counter that a clerk
opens for citizens) and the import of paper forms from a spreadsheet (CSV or XLSX).

The kiosk is a page of its own (surveys/kiosk.html): no staff menu, no link out of the survey,
no clerk's name; after a response it shows a thank-you and a blank form (POST, redirect, GET
with ``?terima-kasih=1``), and kiosk.js clears it again by itself. The clerk who opened it is
recorded with each response (services.response_kiosk), never shown.

The import reads the file by its content (importer.read_cells), checks every row
(importer.parse) and stores all rows or none (services.responses_import); refused files show
every problem with its row number.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from loket.core.errors import InvalidInput
from loket.core.web import file_response, staff_required
from loket.offices.roles import Role, staff_of
from loket.surveys import importer, services
from loket.surveys.ikm import ELEMENTS, KEYS
from loket.surveys.importer import ImportRefused
from loket.surveys.views import questions

log = logging.getLogger(__name__)

THANKS_PARAM = "terima-kasih"
THANKS_SECONDS = 8  # the thank-you stays this long, then the blank form returns (kiosk.js)
IDLE_SECONDS = 120  # a half-filled form left this long is cleared for the next respondent (kiosk.js)
PROBLEMS_SHOWN = 200  # a refused import lists at most this many problems, then "and N more"
UPLOAD_FIELD = "berkas"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "kuesioner-skm-contoh"

# One example respondent for the downloadable template (answers 1–4 by element key).
EXAMPLE_ANSWERS = dict(zip(KEYS, [4, 3, 3, 4, 3, 4, 4, 3, 3]))
EXAMPLE_PROFILE = {"jenis_kelamin": "P", "umur": 35, "pendidikan": "SMA", "pekerjaan": "Wiraswasta",
                   "saran": "Pelayanan sudah baik."}


def _require(request, roles, what: str):
    """The clerk's Staff row when the role may use this screen; 403 otherwise."""
    staff = staff_of(request.user)
    if staff.role not in roles:
        raise PermissionDenied(_("%(what)s hanya untuk: %(roles)s.") % {
            "what": what, "roles": ", ".join(str(Role(r).label) for r in roles)})
    return staff


def _size_text(n: int) -> str:
    """A byte count as the clerk reads it: "5 MB", "1,5 MB", "512 KB" (Indonesian decimal comma)."""
    if n >= 1024 * 1024:
        value, unit = n / (1024 * 1024), "MB"
    else:
        value, unit = max(n, 1) / 1024, "KB"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " " + unit


def _max_bytes() -> int:
    return settings.LOKET_UPLOAD_MAX_BYTES


# --- the kiosk --------------------------------------------------------------------------------------

def _kiosk_page(request, office, *, thanks=False, data=None, errors=None, status=200):
    data = data or {}
    response = render(request, "surveys/kiosk.html", {
        "office": office, "thanks": thanks,
        "services": list(services.kiosk_services(office=office).only("code", "name", "number")),
        "service_chosen": data.get("layanan", ""),
        "kiosk_url": reverse("surveys_staff:kiosk"),
        "thanks_ms": THANKS_SECONDS * 1000, "idle_ms": IDLE_SECONDS * 1000,
        **questions(data=data, errors=errors),
    }, status=status)
    # Not "Referrer-Policy: no-referrer": with it browsers post the form with "Origin: null",
    # which Django's CSRF check refuses. The site's "same-origin" already sends nothing elsewhere,
    # and the page has no link out.
    return response


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """The survey on a tablet at the counter, opened by a clerk (front office, Sekcam, Camat, Admin)."""
    staff = _require(request, services.COLLECTORS, _("Kios survei"))
    office = staff.office
    if request.method == "GET":
        return _kiosk_page(request, office, thanks=request.GET.get(THANKS_PARAM) == "1")
    try:
        services.response_kiosk(office=office, actor=request.user,
                                service_code=(request.POST.get("layanan") or "").strip() or None, data=request.POST)
    except InvalidInput as exc:
        errors = {**exc.errors, "form": [_("Jawaban belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.")]}
        return _kiosk_page(request, office, data=request.POST, errors=errors, status=400)
    return redirect(f"{reverse('surveys_staff:kiosk')}?{THANKS_PARAM}=1")


# --- the import of paper forms -----------------------------------------------------------------------

def _optional_columns() -> list[tuple[str, str]]:
    """The optional columns (importer.OPTIONAL, in its order) with what each may hold."""
    text = _("teks, paling panjang %(n)s karakter")
    help_ = {
        "tanggal": _("tanggal pengisian, TTTT-BB-HH (misalnya 2025-03-17) atau sel tanggal, dari %(min)s sampai hari "
                     "ini; kosong = tanggal impor") % {"min": importer.DATE_MIN.isoformat()},
        "layanan": _("kode layanan (daftar di bawah); kosong = tidak diketahui"),
        "jenis_kelamin": _("L (laki-laki) atau P (perempuan)"),
        "umur": _("bilangan bulat %(min)s–%(max)s") % {"min": importer.AGE_MIN, "max": importer.AGE_MAX},
    }
    for col, n in importer.TEXT_MAX.items():
        help_.setdefault(col, text % {"n": n})
    return [(col, help_.get(col, "")) for col in importer.OPTIONAL]


def _import_page(request, office, *, problems=None, error="", status=200):
    problems = problems or []
    return render(request, "surveys/import.html", {
        "office": office, "elements": ELEMENTS, "optional": _optional_columns(),
        "services": list(services.kiosk_services(office=office).only("code", "name", "number")),
        "max_size": _size_text(_max_bytes()), "field": UPLOAD_FIELD,
        "error": error, "problems": problems[:PROBLEMS_SHOWN], "more": max(0, len(problems) - PROBLEMS_SHOWN),
        "total": len(problems),
        "refused": bool(error or problems),
    }, status=status)


class _Unreadable(Exception):
    """The upload itself is refused (none, empty, too large, not a spreadsheet): one message."""


def _upload_bytes(upload) -> bytes:
    if upload is None:
        raise _Unreadable(_("Pilih berkas CSV atau XLSX untuk diimpor."))
    limit = _max_bytes()
    if upload.size == 0:
        raise _Unreadable(_("Berkas kosong: pilih berkas yang berisi."))
    if upload.size > limit:
        raise _Unreadable(_("Berkas terlalu besar: ukuran paling besar %(size)s.") % {"size": _size_text(limit)})
    data = upload.read(limit + 1)
    if not data:
        raise _Unreadable(_("Berkas kosong: pilih berkas yang berisi."))
    if len(data) > limit:
        raise _Unreadable(_("Berkas terlalu besar: ukuran paling besar %(size)s.") % {"size": _size_text(limit)})
    return data


@staff_required
@require_http_methods(["GET", "POST"])
def import_forms(request):
    """Upload paper forms typed into a spreadsheet: every row is stored, or none."""
    staff = _require(request, services.IMPORTERS, _("Impor kuesioner"))
    office = staff.office
    if request.method == "GET":
        return _import_page(request, office)
    upload = request.FILES.get(UPLOAD_FIELD)
    try:
        data = _upload_bytes(upload)
        try:
            rows = importer.parse(importer.read_cells(upload.name, data))
        except ImportRefused:
            raise
        except Exception:  # noqa: BLE001 — whatever a damaged or foreign file does, the clerk gets one message
            log.warning("survey import: unreadable file refused", exc_info=True)
            raise _Unreadable(_("Berkas tidak dapat dibaca: isinya bukan CSV (UTF-8) atau XLSX.")) from None
        count = services.responses_import(office=office, actor=request.user, rows=rows)
    except _Unreadable as exc:
        return _import_page(request, office, error=str(exc), status=400)
    except ImportRefused as exc:
        return _import_page(request, office, problems=exc.problems, status=400)
    messages.success(request, _("%(n)s kuesioner diimpor.") % {"n": count})
    return redirect("surveys_staff:import")


def _template_rows(office) -> tuple[list[str], list[object]]:
    first = services.kiosk_services(office=office).only("code").first()
    example = {**EXAMPLE_ANSWERS, **EXAMPLE_PROFILE, "tanggal": timezone.localdate(),
               "layanan": first.code if first else ""}
    header = KEYS + importer.OPTIONAL
    return header, [example.get(col, "") for col in header]


@staff_required
@require_GET
def import_template(request, fmt: str):
    """An empty layout to fill in: the header row and one example row, as CSV or XLSX."""
    staff = _require(request, services.IMPORTERS, _("Impor kuesioner"))
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Format contoh hanya CSV atau XLSX."))
    header, example = _template_rows(staff.office)
    if fmt == "csv":
        import csv

        out = io.StringIO()
        out.write("\ufeff")  # the BOM: Excel then opens it as UTF-8; the importer ignores it
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in example])
        body, content_type = out.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "SKM"
        ws.append(header)
        ws.append(example)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.cell(row=2, column=header.index("tanggal") + 1).number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        body, content_type = buf.getvalue(), XLSX_TYPE
    return file_response(body, filename=f'{TEMPLATE_NAME}.{fmt}', content_type=content_type)
