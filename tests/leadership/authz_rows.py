"""The leadership's rows of the authorization matrix: the desk and the lists behind it (Camat,
Sekcam, Kasi), the service performance report (page, files, API), read by every staff role of
the office (counts and times, no personal data), and the staff evaluation (Camat, Sekcam).

The engine and the kinds of rows: tests/support/authz.py; how to add a row: tests/support/README.md."""

from __future__ import annotations

from django.urls import reverse

from tests.support.authz import API, PAGE, POST403, PUBLIC, PUBLIC_WEB, STAFF, Entry, r

# The desk: the Camat and the Sekcam (the office), each Kasi (their unit).
DESK = frozenset({"camat", "sekcam", "kasi", "kasi_other"})
# Publishing the month, and internal oversight: the Camat and the Sekcam.
LEADERS = frozenset({"camat", "sekcam"})

def _sheet(w, name: str) -> str:
    return reverse(name, args=[w.people["front"].pk])


ROWS: list[Entry] = [
    Entry("leadership:desk", "GET", PAGE, DESK, r("leadership:desk")),
    Entry("leadership:late", "GET", PAGE, DESK, r("leadership:late")),
    Entry("leadership:waiting", "GET", PAGE, DESK, r("leadership:waiting")),
    Entry("leadership:report", "GET", PAGE, STAFF, r("leadership:report")),
    Entry("leadership:report_late", "GET", PAGE, STAFF, r("leadership:report_late")),
    Entry("leadership:report_xlsx", "GET", PAGE, STAFF, r("leadership:report_xlsx")),
    Entry("leadership:report_pdf", "GET", PAGE, STAFF, r("leadership:report_pdf")),
    Entry("api:staff_performance", "GET", API, STAFF, r("api:staff_performance")),
    Entry("leadership:publish", "POST", POST403, LEADERS, r("leadership:publish"), ok=302,
          data=lambda w: {"tahun": "2025", "ke": "1"},
          ok_location=lambda who, w: reverse("leadership:report") + "?jenis=bulan&tahun=2025&ke=1"),
    Entry("leadership:oversight", "GET", PAGE, LEADERS, r("leadership:oversight")),
    Entry("leadership:oversight_note", "POST", POST403, LEADERS, r("leadership:oversight_note"), ok=302,
          data=lambda w: {"key": "late:ABCDEFGH", "status": "selesai", "note": "Sudah diperiksa."},
          ok_location=lambda who, w: reverse("leadership:oversight") + "#late-ABCDEFGH"),
    # The staff evaluation (komponen 14): the Camat and the Sekcam, here of the front office clerk.
    Entry("leadership:evaluation", "GET", PAGE, LEADERS, r("leadership:evaluation")),
    Entry("leadership:evaluation_sheet", "GET", PAGE, LEADERS, lambda w: _sheet(w, "leadership:evaluation_sheet")),
    Entry("leadership:evaluation_trail", "GET", PAGE, LEADERS, lambda w: _sheet(w, "leadership:evaluation_trail")),
    Entry("leadership:evaluation_pdf", "GET", PAGE, LEADERS, lambda w: _sheet(w, "leadership:evaluation_pdf")),
    Entry("leadership:evaluation_assess", "POST", POST403, LEADERS, lambda w: _sheet(w, "leadership:evaluation_assess"),
          ok=302, data=lambda w: {"jenis": "bulan", "tahun": "2025", "ke": "1", "penilaian": "Teliti.",
                                  "tindak_lanjut": "Lanjutkan."},
          ok_location=lambda who, w: _sheet(w, "leadership:evaluation_sheet") + "?jenis=bulan&tahun=2025&ke=1#penilaian"),
    Entry("api:staff_evaluation", "GET", API, LEADERS, r("api:staff_evaluation")),
    Entry("api:staff_evaluation_assess", "POST", API, LEADERS,
          lambda w: reverse("api:staff_evaluation_assess", kwargs={"user_id": w.people["front"].pk}), ok=201,
          data=lambda w: {"jenis": "bulan", "tahun": 2025, "ke": 1, "assessment": "Teliti.", "follow_up": "Lanjutkan."}),
    Entry("leadership_public:board", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("leadership_public:board", args=[w.office.slug])),
]
