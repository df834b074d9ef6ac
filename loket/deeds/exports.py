"""The PPAT's monthly report (Laporan Bulanan PPAT: daftar akta yang dibuat) of the Camat as
PPAT Sementara, for the land office (Kantor Pertanahan) and the tax offices (KPP for the PPh,
Badan Pendapatan Daerah for the BPHTB): every deed written in the Buku Register PPAT in the
month (``selectors.deeds_of_month``), in register-number order, with the columns such reports
carry, and the totals.

As a page (``report_views.report``), a spreadsheet and an A4 landscape PDF laid out like the
Buku Register (``core.tables.table_xlsx``/``table_pdf``). In the spreadsheet dates are
date cells and amounts numbers (the SSB and SSP each in two columns, date and amount); in the
PDF each proof is one cell, "date / amount". The files are official papers of the office and
stay in Indonesian whatever the screen's language. No NIK is printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from loket.core.formats import MONTHS
from loket.core.money import thousands
from loket.deeds import papers, selectors
from loket.deeds.models import Case, PartyRole, TaxProof
from loket.offices.models import Office
from loket.core.tables import clean as _clean, table_pdf, table_xlsx

# Who gives the right and who receives it, per deed. In a division of joint rights (pembagian
# hak bersama) the co-holders are on both sides (receiving their shares), and so are the parties
# of an exchange (tukar menukar); the help with a
# certificate has only an applicant, on the receiving side.
FROM_ROLES = (PartyRole.PENJUAL, PartyRole.PEMBERI_HIBAH, PartyRole.PEWARIS, PartyRole.PENYERAH_HAK,
              PartyRole.PEMEGANG_HAK, PartyRole.PENUKAR, PartyRole.PEMASUK, PartyRole.PEMILIK_HM,
              PartyRole.PEMBERI_HT, PartyRole.PEMBERI_KUASA)
TO_ROLES = (PartyRole.PEMBELI, PartyRole.PENERIMA_HIBAH, PartyRole.AHLI_WARIS, PartyRole.PENERIMA_HAK,
            PartyRole.PEMEGANG_HAK, PartyRole.PEMOHON, PartyRole.PENUKAR, PartyRole.PERUSAHAAN,
            PartyRole.PEMEGANG_HT, PartyRole.PENERIMA_KUASA)

HEADERS = [
    "No. Urut", "Nomor Akta", "Tanggal Akta", "Jenis Akta", "Nama Pihak yang Mengalihkan/ Memberikan",
    "Nama Pihak yang Menerima", "Jenis dan Nomor Hak", "Letak Tanah", "Luas Tanah (m\u00b2)",
    "Harga Transaksi (Rp)", "NOP", "NJOP (Rp)",
]
XLSX_HEADERS = HEADERS + ["SSB BPHTB: Tanggal", "SSB BPHTB: Jumlah (Rp)", "SSP PPh: Tanggal", "SSP PPh: Jumlah (Rp)"]
XLSX_WIDTHS = [8, 11, 12, 22, 32, 36, 30, 26, 11, 16, 26, 16, 12, 15, 12, 15]
PDF_HEADERS = HEADERS + ["SSB BPHTB (tanggal/ Rp)", "SSP PPh (tanggal/ Rp)"]
PDF_WIDTHS_MM = [8, 14, 15, 19, 29, 32, 25, 24, 11, 18, 31, 18, 17, 17]  # scaled to 277 mm
PDF_SIZE, PDF_LEADING = 6.8, 8.2
TOTAL_LABEL = "JUMLAH"
DATE = "%d-%m-%Y"


def title(year: int, month: int) -> str:
    return f"Laporan Bulanan PPAT Sementara: Daftar Akta yang Dibuat \u2014 {MONTHS[month - 1]} {year}"


def filename(year: int, month: int, ext: str) -> str:
    return f"laporan-bulanan-ppat-{year}-{month:02d}.{ext}"


@dataclass(frozen=True)
class Row:
    """One deed of the month as the report shows it."""

    case: Case
    number: str  # number/year in the Buku Register PPAT
    signed_on: dt.date | None
    kind: str
    giving: str
    receiving: str
    right: str
    place: str
    area: int
    value: int
    nop: str
    njop: int
    bphtb: TaxProof | None
    pph: TaxProof | None


def _names(case: Case, roles) -> str:
    # shares only on the receiving side (a co-holder's share is what the division gives)
    names = [papers.party_name(p, share=roles is TO_ROLES) for p in case.parties.all() if p.role in roles]
    return "; ".join(names)


def row_of(case: Case) -> Row:
    proofs = {p.kind: p for p in case.tax_proofs.all() if p.kind != TaxProof.Kind.PBB}
    return Row(
        case=case, number=case.register_entry.number_display,
        signed_on=timezone.localtime(case.signed_at).date() if case.signed_at else None,
        kind=case.kind_label, giving=_names(case, FROM_ROLES), receiving=_names(case, TO_ROLES),
        right=papers.title_text(case), place=papers.place_text(case), area=case.area_m2, value=case.value,
        nop=papers.nop_display(case.nop), njop=case.njop,
        bphtb=proofs.get(TaxProof.Kind.BPHTB), pph=proofs.get(TaxProof.Kind.PPH),
    )


def month_report(*, office: Office, year: int, month: int) -> dict:
    """The deeds registered in the month with their totals: count, area, transaction values and
    the BPHTB and PPh paid."""
    cases = selectors.deeds_of_month(office=office, year=year, month=month).select_related("service").prefetch_related(
        Prefetch("tax_proofs", queryset=TaxProof.objects.exclude(kind=TaxProof.Kind.PBB)))
    rows = [row_of(c) for c in cases]
    return {
        "rows": rows, "count": len(rows),
        "total_area": sum(r.area for r in rows),
        "total_value": sum(r.value for r in rows),
        "total_bphtb": sum(r.bphtb.amount for r in rows if r.bphtb),
        "total_pph": sum(r.pph.amount for r in rows if r.pph),
    }




def _proof_text(proof: TaxProof | None) -> str:
    return f"{proof.paid_on:{DATE}}\n{thousands(proof.amount)}" if proof else "\u2014"


def _xlsx_rows(data: dict):
    for i, r in enumerate(data["rows"], start=1):
        yield (
            i, r.number, r.signed_on, _clean(r.kind), _clean(r.giving), _clean(r.receiving), _clean(r.right),
            _clean(r.place), r.area, r.value, r.nop, r.njop,
            r.bphtb.paid_on if r.bphtb else None, r.bphtb.amount if r.bphtb else None,
            r.pph.paid_on if r.pph else None, r.pph.amount if r.pph else None,
        )
    yield ("", "", None, TOTAL_LABEL, f"{data['count']} akta", "", "", "", data["total_area"], data["total_value"],
           "", None, None, data["total_bphtb"], None, data["total_pph"])


def _pdf_rows(data: dict):
    for i, r in enumerate(data["rows"], start=1):
        yield (
            str(i), r.number, f"{r.signed_on:{DATE}}" if r.signed_on else "\u2014", r.kind, r.giving, r.receiving,
            r.right, r.place, thousands(r.area), thousands(r.value), r.nop, thousands(r.njop),
            _proof_text(r.bphtb), _proof_text(r.pph),
        )
    if data["rows"]:
        yield ("", "", "", TOTAL_LABEL, f"{data['count']} akta", "", "", "", thousands(data["total_area"]),
               thousands(data["total_value"]), "", "", thousands(data["total_bphtb"]),
               thousands(data["total_pph"]))


def report_xlsx(data: dict, *, office: Office, year: int, month: int):
    """The report as an XLSX workbook (a temporary file, rewound; FileResponse closes it)."""
    return table_xlsx(_xlsx_rows(data), office=office, title=title(year, month), sheet="Laporan PPAT",
                      headers=XLSX_HEADERS, widths=XLSX_WIDTHS)


def report_pdf(data: dict, *, office: Office, year: int, month: int) -> bytes:
    """The report as an A4 landscape PDF, the header row on every page."""
    return table_pdf(_pdf_rows(data), office=office, title=title(year, month), headers=PDF_HEADERS,
                     widths_mm=PDF_WIDTHS_MM, size=PDF_SIZE, leading=PDF_LEADING,
                     empty_text="Tidak ada akta yang dibuat pada bulan ini.")


# --- Buku Register Penyampaian Akta ke Kantor Pertanahan ------------------------------------------
# Every deed signed in the month (``selectors.signed_of_month``), with the last day to deliver it
# to the Kantor Pertanahan (PP 24/1997 Pasal 40 ayat (1): 7 working days after signing), the day
# it was delivered and the land office's receipt number, and whether it came late or is overdue.

ON_TIME, LATE, OVERDUE, PENDING = "Tepat waktu", "Terlambat", "Lewat batas, belum disampaikan", "Belum disampaikan"
DELIVERY_HEADERS = [
    "No. Urut", "Nomor Akta", "Tanggal Akta", "Jenis Akta", "Para Pihak", "Batas Penyampaian",
    "Tanggal Disampaikan", "Nomor Tanda Terima Kantor Pertanahan", "Keterangan",
]
DELIVERY_XLSX_WIDTHS = [8, 11, 12, 26, 40, 14, 14, 26, 28]
DELIVERY_PDF_WIDTHS_MM = [12, 20, 20, 38, 60, 22, 22, 40, 43]  # 277 mm
DELIVERY_EMPTY = "Tidak ada akta yang ditandatangani pada bulan ini."


def delivery_title(year: int, month: int) -> str:
    return f"Buku Register Penyampaian Akta ke Kantor Pertanahan \u2014 {MONTHS[month - 1]} {year}"


def delivery_filename(year: int, month: int, ext: str) -> str:
    return f"register-penyampaian-akta-{year}-{month:02d}.{ext}"


@dataclass(frozen=True)
class DeliveryRow:
    """One deed signed in the month as the delivery register shows it."""

    case: Case
    number: str  # number/year in the Buku Register PPAT; "—" while not yet written there
    signed_on: dt.date
    kind: str
    parties: str
    due: dt.date
    delivered_on: dt.date | None
    receipt: str
    status: str  # ON_TIME, LATE, OVERDUE or PENDING

    @property
    def key(self) -> str:
        """"on_time", "late", "overdue" or "pending" (the screen words it in its language)."""
        return {ON_TIME: "on_time", LATE: "late", OVERDUE: "overdue", PENDING: "pending"}[self.status]


def _first(case: Case, roles) -> str:
    """The first party of a side, "dkk." when there are more."""
    names = [p.name for p in case.parties.all() if p.role in roles]
    if not names:
        return ""
    return names[0] + (" dkk." if len(names) > 1 else "")


def _short_parties(case: Case) -> str:
    giving, receiving = _first(case, FROM_ROLES), _first(case, TO_ROLES)
    if giving and receiving and giving != receiving:
        return f"{giving} kepada {receiving}"
    return giving or receiving


def delivery_status(delivered_on: dt.date | None, due: dt.date, today: dt.date) -> str:
    if delivered_on is not None:
        return ON_TIME if delivered_on <= due else LATE
    return OVERDUE if today > due else PENDING


def delivery_register(*, office: Office, year: int, month: int, today: dt.date | None = None) -> dict:
    """The deeds signed in the month with their delivery to the Kantor Pertanahan; counts of the
    late and the overdue."""
    today = today or timezone.localdate()
    rows = [DeliveryRow(
        case=c, number=c.register_entry.number_display if c.register_entry_id else "\u2014",
        signed_on=timezone.localtime(c.signed_at).date(), kind=c.kind_label, parties=_short_parties(c), due=due,
        delivered_on=c.delivered_on, receipt=c.delivery_receipt,
        status=delivery_status(c.delivered_on, due, today),
    ) for c, due in selectors.signed_of_month(office=office, year=year, month=month)]
    return {
        "rows": rows, "count": len(rows),
        "late": sum(r.status == LATE for r in rows), "overdue": sum(r.status == OVERDUE for r in rows),
    }


def _delivery_xlsx_rows(data: dict):
    for i, r in enumerate(data["rows"], start=1):
        yield (i, r.number, r.signed_on, _clean(r.kind), _clean(r.parties), r.due, r.delivered_on,
               _clean(r.receipt), r.status)


def _delivery_pdf_rows(data: dict):
    for i, r in enumerate(data["rows"], start=1):
        yield (str(i), r.number, f"{r.signed_on:{DATE}}", r.kind, r.parties, f"{r.due:{DATE}}",
               f"{r.delivered_on:{DATE}}" if r.delivered_on else "\u2014", r.receipt or "\u2014", r.status)


def delivery_xlsx(data: dict, *, office: Office, year: int, month: int):
    """The delivery register as an XLSX workbook (a temporary file, rewound)."""
    return table_xlsx(_delivery_xlsx_rows(data), office=office, title=delivery_title(year, month),
                      sheet="Penyampaian Akta", headers=DELIVERY_HEADERS, widths=DELIVERY_XLSX_WIDTHS)


def delivery_pdf(data: dict, *, office: Office, year: int, month: int) -> bytes:
    """The delivery register as an A4 landscape PDF, the header row on every page."""
    return table_pdf(_delivery_pdf_rows(data), office=office, title=delivery_title(year, month),
                     headers=DELIVERY_HEADERS, widths_mm=DELIVERY_PDF_WIDTHS_MM, size=PDF_SIZE, leading=PDF_LEADING,
                     empty_text=DELIVERY_EMPTY)
