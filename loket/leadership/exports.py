"""The Laporan kinerja pelayanan as files: an XLSX workbook (one sheet per table) and an A4
landscape PDF on the office's letterhead, signed by the Camat (offices.signers.signer_for)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, LongTable, Paragraph, Spacer, TableStyle

from loket.core.formats import tanggal
from loket.core.pdf import build, facts, letterhead, para, place_of, signature_block, styles, text_width
from loket.core.tables import clean
from loket.dossiers.measure import STEPS
from loket.leadership.selectors import STEP_LABELS, Report, Row, rounded
from loket.offices.signers import signer_for

ROW_HEADERS = ["Diterima", "Dibatalkan", "Dikembalikan", "Selesai", "Tepat waktu", "Terlambat", "Tepat waktu (%)",
               "Median (menit)", "Persentil 90 (menit)"]


def number(value, places: int = 1) -> str:
    """Indonesian decimal comma; a dash when there is nothing to measure."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def figures_cells(f) -> list:
    return [f.received, f.cancelled, f.returned, f.completed, f.on_time, f.late,
            number(f.on_time_pct), number(f.median), number(f.p90)]


def title_of(report: Report, label: str) -> str:
    return f"Laporan Kinerja Pelayanan — {label}"


def report_xlsx(report: Report, *, office, label: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(ws, heading: str, header: list[str], rows: list[list]):
        ws.append([clean(f"{office.name} — {title_of(report, label)}")])
        ws.append([clean(heading)])
        ws.append(header)
        for cell in ws[3]:
            cell.font = bold
        for row in rows:
            ws.append([clean(v) if isinstance(v, str) else v for v in row])
        ws.freeze_panes = "B4"
        ws.column_dimensions["A"].width = 48

    def raw(f):  # numbers as numbers in the spreadsheet
        return [f.received, f.cancelled, f.returned, f.completed, f.on_time, f.late,
                rounded(f.on_time_pct), rounded(f.median), rounded(f.p90)]

    def group_rows(rows: list[Row]):
        return [[r.full_name, *raw(r.figures)] for r in rows] + [["Jumlah", *raw(report.total)]]

    ws = wb.active
    ws.title = "Per layanan"
    sheet(ws, "Per jenis layanan", ["Jenis layanan", *ROW_HEADERS], group_rows(report.services))
    sheet(wb.create_sheet("Per kelurahan"), "Per kelurahan tempat tinggal pemohon", ["Kelurahan", *ROW_HEADERS],
          group_rows(report.kelurahan))
    step_rows = [[STEP_LABELS[s], len(report.total.steps[s]), rounded(report.total.step_median(s)),
                  rounded(report.total.step_p90(s))] for s in STEPS]
    sheet(wb.create_sheet("Per tahap"), "Waktu per tahap (menit kerja, berkas selesai)",
          ["Tahap", "Berkas", "Median (menit)", "Persentil 90 (menit)"], step_rows)
    reasons = [[r.full_name, text, n] for r in report.services for text, n in r.figures.top_reasons()]
    sheet(wb.create_sheet("Alasan pengembalian"), "Persyaratan yang paling sering belum ada",
          ["Jenis layanan", "Persyaratan", "Kali"], reasons)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def report_pdf(report: Report, *, office, label: str) -> bytes:
    st = styles(8)
    page = landscape(A4)
    margin = 12 * mm
    width = text_width(page, margin)
    title = title_of(report, label)

    def table(header: list[str], rows: list[list], first: float) -> LongTable:
        rest = (width - first) / (len(header) - 1)
        data = [[para(h, st["bold"]) for h in header]] + [
            [para(str(c), st["normal"]) if i == 0 else str(c) for i, c in enumerate(row)] for row in rows]
        t = LongTable(data, colWidths=[first] + [rest] * (len(header) - 1), repeatRows=1)
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5, 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    def groups(rows: list[Row], column: str):
        body = [[r.full_name, *figures_cells(r.figures)] for r in rows]
        body.append(["Jumlah", *figures_cells(report.total)])
        return table([column, *ROW_HEADERS], body, 80 * mm)

    flow = letterhead(office, st, width) + [
        para("LAPORAN KINERJA PELAYANAN", st["title"]),
        para(f"{label} ({tanggal(report.start)} – {tanggal(report.end)})", st["center"]),
        Spacer(1, 3 * mm),
        para("Waktu diukur dalam jam kerja pada hari kerja, sejak berkas lengkap diterima sampai diserahkan, "
             "dibandingkan dengan jangka waktu penyelesaian Standar Pelayanan (komponen 4)."
             + (" Jam kerja: ketentuan umum Perpres 21/2023 (kantor belum mengisi jam kerjanya sendiri)."
                if report.hours_default else ""), st["small"]),
        Spacer(1, 2 * mm),
        para("A. Per jenis layanan", st["bold"]), groups(report.services, "Jenis layanan"), Spacer(1, 4 * mm),
        para("B. Per kelurahan tempat tinggal pemohon", st["bold"]), groups(report.kelurahan, "Kelurahan"),
        Spacer(1, 4 * mm),
        KeepTogether([para("C. Waktu per tahap (menit kerja, berkas yang selesai)", st["bold"]), table(
            ["Tahap", "Berkas", "Median (menit)", "Persentil 90 (menit)"],
            [[STEP_LABELS[s], len(report.total.steps[s]), number(report.total.step_median(s)),
              number(report.total.step_p90(s))] for s in STEPS], 80 * mm)]),
        Spacer(1, 4 * mm),
    ]
    reasons = [[r.full_name, text, n] for r in report.services for text, n in r.figures.top_reasons(3)]
    if reasons:
        flow += [para("D. Persyaratan yang paling sering belum ada (alasan pengembalian)", st["bold"]),
                 table(["Jenis layanan", "Persyaratan", "Kali"], reasons, 80 * mm), Spacer(1, 4 * mm)]
    today = timezone.localdate()
    signer = signer_for(office=office, post="camat", on=today)
    block = signature_block(signer, place=place_of(office), on=today, st=st, width=70 * mm)
    sign = LongTable([["", block]], colWidths=[width - 80 * mm, 80 * mm])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    flow.append(KeepTogether([sign]))
    return build(page, margin, flow, title=title, office=office)


# --- the evaluation sheet (komponen 14) --------------------------------------------------------

def _pct_text(value) -> str:
    return "—" if value is None else f"{number(value)} %"


def _two_columns(left, right, width: float):
    t = LongTable([[left, right]], colWidths=[width / 2, width / 2])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return t


def evaluation_pdf(data, person, *, office, staff, label: str, aspects: list[str], assessment, evaluator) -> bytes:
    """Lembar evaluasi kinerja pelaksana: A4 portrait on the letterhead; the measured figures
    beside the office median of the role, the standard's aspects with the rating of the newest
    assessment of the period (blank boxes when none, to fill by hand), the assessment and the
    follow-up, and two signatures: the staff member (seen) and the evaluator."""
    from loket.leadership.evaluation import sheet_lines
    from loket.leadership.models import Assessment
    from loket.offices.models import nip_text
    from loket.offices.signers import Signer, staff_name

    # One page with both signatures: a signed sheet is never split from what it signs.
    st = styles(8)
    margin = 12 * mm
    width = text_width(A4, margin)

    def table(header, rows, widths):
        body = [[para(h, st["bold"]) for h in header]] + [
            [para(str(c), st["normal"]) if i == 0 else str(c) for i, c in enumerate(row)] for row in rows]
        t = LongTable(body, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5, 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ]))
        return t

    def shown(line, value):
        if line.unit == "pct":
            return _pct_text(value)
        if line.unit == "count":
            return "" if line.median is None else str(value)
        return number(value, 2 if line.unit == "per_day" else 1)

    lines = sheet_lines(data, person)
    figure_rows = [[ln.label, ln.value, shown(ln, ln.mine), shown(ln, ln.median) if ln.unit != "count" or
                    ln.median is not None else ""] for ln in lines]
    rated = {r["aspect"]: r["rating"] for r in (assessment.aspects if assessment else [])}
    labels = dict(Assessment.Rating.choices)
    aspect_rows = [[text, *("X" if rated.get(text) == value else "" for value in labels)] for text in aspects]
    flow = letterhead(office, st, width) + [
        para("LEMBAR EVALUASI KINERJA PELAKSANA", st["title"]),
        para(f"{label} ({tanggal(data.start)} – {tanggal(data.end)})", st["center"]),
        Spacer(1, 2 * mm),
        _two_columns(facts([("Nama", person.name), ("NIP", nip_text(person.nip) if person.nip else "—")], st, width / 2 - 3 * mm),
                     facts([("Jabatan", person.position), ("Pangkat/golongan", person.rank or "—")], st,
                           width / 2 - 3 * mm), width),
        Spacer(1, 2 * mm),
        para("A. Angka kerja (dari catatan berkas, pengaduan dan SKM; dibandingkan dengan median kantor untuk "
             "peran yang sama)", st["bold"]),
        table(["Angka", "Jumlah", "Per hari hadir / % / menit / indeks", "Median kantor"], figure_rows,
              [width - 75 * mm, 20 * mm, 30 * mm, 25 * mm]),
        para("Menit kerja: jam kerja pada hari kerja. Keterlambatan diatribusikan kepada yang menyelesaikan tahap "
             "terlamanya; penyebabnya bisa di luar kendali pegawai. Bahan percakapan, bukan peringkat.", st["small"]),
        Spacer(1, 2 * mm),
    ]
    if aspects:
        flow += [para("B. Aspek evaluasi kinerja pelaksana (Standar Pelayanan, komponen 14)", st["bold"]),
                 table(["Aspek", *labels.values()], aspect_rows, [width - 66 * mm, 18 * mm, 18 * mm, 30 * mm]),
                 Spacer(1, 2 * mm)]
    # Empty (no assessment yet): two dotted lines to write on by hand.
    dots = "." * int(width / stringWidth(".", st["normal"].fontName, st["normal"].fontSize) - 2)

    def written(text: str):
        return Paragraph(escape(text).replace("\n", "<br/>") if text else f"{dots}<br/><br/>{dots}", st["normal"])

    closing = [
        para("C. Penilaian", st["bold"]), written(assessment.assessment if assessment else ""),
        Spacer(1, 2 * mm),
        para("D. Tindak lanjut yang disepakati", st["bold"]), written(assessment.follow_up if assessment else ""),
        Spacer(1, 3 * mm),
    ]
    on = timezone.localtime(assessment.at).date() if assessment else timezone.localdate()
    seen = Signer(user=staff.user, name=staff_name(staff), nip=staff.nip, rank=staff.rank, position=person.position,
                  title_lines=["Pegawai yang dinilai,", person.position])  # two lines, as the evaluator's
    if assessment:
        judge = Signer(user=assessment.evaluator, name=assessment.evaluator_name, nip=assessment.evaluator_nip,
                       rank="", position=assessment.evaluator_position,
                       title_lines=["Pejabat penilai,", assessment.evaluator_position])
    else:
        own = getattr(evaluator, "staff", None)
        judge = Signer(user=evaluator, name=staff_name(own) if own else "", nip=own.nip if own else "",
                       rank=own.rank if own else "", position=own.get_role_display() if own else "",
                       title_lines=["Pejabat penilai,", (own.position or own.get_role_display()) if own else ""])
    half = width / 2
    sign = LongTable([[signature_block(seen, place="", on=on, st=st, width=half - 10 * mm),
                       signature_block(judge, place=place_of(office), on=on, st=st, width=half - 10 * mm)]],
                     colWidths=[half, half])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    # The signatures stay with the assessment they sign (a long one moves both to the next page).
    flow.append(KeepTogether([*closing, sign]))
    return build(A4, margin, flow, title=f"Lembar Evaluasi Kinerja Pelaksana — {person.name} — {label}",
                 office=office)
