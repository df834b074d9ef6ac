"""Printed papers of the deeds (akta tanah, the Camat as PPAT Sementara): the receipt of the
case (tanda terima berkas akta tanah) and the deed's cover sheet (sampul akta) with its number
in the Buku Register PPAT.

Plain functions of a Case returning the PDF as bytes; the layout helpers (office header, styles,
label/value rows, page footer) come from the kit (loket.core.pdf).

There is no public tracking page of deed cases (yet), so the receipt carries no QR code: it
prints the case code large, to be named at the counter. No paper carries a full NIK: the
receipt shows each party's NIK masked, the cover none at all. The fee is read from the case
(rate and fee as quoted at intake), so a reprint reads the same after the office's rate changes.
"""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from loket.core import codes
from loket.core.formats import indonesian, tanggal
from loket.core.money import rupiah, terbilang, thousands
from loket.core.nik import nik_mask
from loket.core.pdf import actor_text, build, facts, letterhead, para, styles, text_width
from loket.deeds import fees
from loket.deeds.models import Case, Signing
from loket.deeds.selectors import clock
from loket.offices.models import nip_text
from loket.offices.signers import ppat_for

COVER_STATES = (Case.State.REGISTERED, Case.State.HANDED_OVER)
TITLE_SHORT = {Case.LandTitle.LETTER_C: "Letter C", Case.LandTitle.SHM: "SHM", Case.LandTitle.SHGB: "SHGB",
               Case.LandTitle.SHP: "SHP"}
BLANK_NAME = "(" + "." * 40 + ")"


class NotRegistered(ValueError):
    """The cover of a deed not (yet) written in the Buku Register PPAT."""


# --- texts shared by the papers and the monthly report ---------------------------------------

def nop_display(nop: str) -> str:
    """The 18 digits of a NOP PBB as printed on the SPPT: 35.77.010.001.001-0001.0."""
    n = "".join(ch for ch in (nop or "") if ch.isdigit())
    if len(n) != 18:
        return nop or ""
    return f"{n[0:2]}.{n[2:4]}.{n[4:7]}.{n[7:10]}.{n[10:13]}-{n[13:17]}.{n[17]}"


def title_text(case: Case) -> str:
    """The kind and number of the right: "SHM No. 789/Klegen", "Letter C 1234" (the kind is not
    repeated when the reference as typed already starts with it)."""
    short = TITLE_SHORT.get(case.land_title, case.get_land_title_display())
    ref = (case.land_reference or "").strip()
    if ref.casefold().startswith(short.casefold()):
        return ref
    return f"{short} {ref}".strip()


def place_text(case: Case) -> str:
    """Letak tanah: the street as typed and the kelurahan."""
    kel = f"Kelurahan {case.kelurahan.name}"
    return f"{case.land_address}, {kel}" if case.land_address else kel


def area_text(area: int) -> str:
    return f"{thousands(area)} m\u00b2"


def party_name(p, *, share: bool = True) -> str:
    """The name, with the share of an heir or co-owner: "Sumini (bagian 1/2)"."""
    return f"{p.name} (bagian {p.share_display})" if share and p.share_display else p.name


def ppat_title(office) -> str:
    """"Camat Kartoharjo selaku PPAT Sementara"."""
    head = (office.head_title or "").strip()
    if not head:
        head = "Camat " + office.name.removeprefix("Kecamatan").strip()
    return f"{head} selaku PPAT Sementara"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _centre(st, key="normal") -> ParagraphStyle:
    return ParagraphStyle(f"{key}-centre", parent=st[key], alignment=TA_CENTER)


def _grid(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _halves(left, right, width: float) -> Table:
    table = Table([[left, right]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _user_name(user) -> str:
    if user is None:
        return BLANK_NAME
    return user.get_full_name() or user.username


# --- the receipt -------------------------------------------------------------------------------

def _parties_table(case: Case, st, width: float) -> Table:
    """Peran · Nama · NIK (masked) · Keterangan (share, proxy)."""
    widths = [6 * mm, 27 * mm, 0, 29 * mm, 0]
    rest = width - sum(widths)
    widths[2], widths[4] = rest * 0.55, rest * 0.45
    rows = [[para("No", st["bold"]), para("Peran", st["bold"]), para("Nama", st["bold"]), para("NIK", st["bold"]),
             para("Keterangan", st["bold"])]]
    for i, p in enumerate(case.parties.all(), 1):
        notes = []
        if p.share_display:
            notes.append(f"Bagian {p.share_display}")
        if p.proxy_name:
            notes.append(f"Dikuasakan kepada {p.proxy_name} ({p.proxy_letter})")
        rows.append([para(f"{i}.", st["normal"]), para(p.get_role_display(), st["normal"]), para(p.name, st["normal"]),
                     para(nik_mask(p.nik), st["normal"]), para("; ".join(notes) or "\u2014", st["normal"])])
    return _grid(rows, widths)


def _checklist_table(case: Case, st, width: float) -> Table:
    """No · Persyaratan · Ada/ Belum ada (an original that must be shown counts)."""
    widths = [6 * mm, 0, 30 * mm]
    widths[1] = width - sum(widths)
    rows = [[para("No", st["bold"]), para("Persyaratan", st["bold"]), para("Keterangan", st["bold"])]]
    for i, item in enumerate(case.items.select_related("requirement"), 1):
        if not item.present:
            state = "BELUM ADA"
        elif item.requirement.show_original:
            state = "Ada, asli ditunjukkan" if item.original_shown else "Ada; ASLI BELUM DITUNJUKKAN"
        else:
            state = "Ada"
        rows.append([para(f"{i}.", st["normal"]), para(item.requirement.text, st["normal"]),
                     para(state, st["bold"] if state.startswith(("BELUM", "Ada;")) else st["normal"])])
    if len(rows) == 1:
        rows.append(["", para("\u2014", st["normal"]), ""])
    return _grid(rows, widths)


def _fee_rows(case: Case) -> tuple[list[tuple[str, str]], list[str]]:
    quote = fees.quote_of(case)
    if quote.free:
        rows = [("Uang jasa", "Rp 0 \u2014 tanpa biaya (pemohon tidak mampu)")]
    else:
        rows = [
            ("Tarif kantor", f"{fees.rate_text(quote.rate)} dari harga transaksi {rupiah(quote.value)}"),
            ("Paling banyak", f"{rupiah(quote.cap)} ({fees.rate_text(fees.cap_percent(case.service))} dari harga transaksi)"),
            ("Uang jasa", rupiah(quote.fee)),
            ("Terbilang", _capital(terbilang(quote.fee))),
        ]
    return rows, quote.notes


def _time_rows(case: Case) -> list[tuple[str, str]]:
    service = case.service
    rows = [("Standar waktu", f"{service.duration_text} (dihitung sejak berkas lengkap diterima)")]
    c = clock(case)
    if c is None:
        rows.append(("Target selesai", "dihitung setelah berkas lengkap"))
        return rows
    rows += [("Target selesai", tanggal(c.target_at)), ("Paling lambat", tanggal(c.limit_at))]
    if c.paused:
        rows.append(("Catatan", "Waktu berhenti selama berkas menunggu kelengkapan dari pemohon; "
                                "tanggal di atas sudah memperhitungkannya."))
    return rows


def receipt_pdf(case: Case) -> bytes:
    """Tanda Terima Berkas Akta Tanah, on A4: the case code (large), the deed, when received, the
    parties (NIK masked), the land, the checklist with what is present and what is missing, the
    PPAT's fee with its legal cap in figures and words, the standard time with the target and
    limit dates, and who received it."""
    office = case.office
    st = styles(9)
    page = A4
    margin = 15 * mm
    width = text_width(page, margin)
    head = [
        ("Jenis akta", case.kind_label),
        ("Diterima", tanggal(case.received_at, with_time=True)),
    ]
    if case.clock_started_at and abs((case.clock_started_at - case.received_at).total_seconds()) >= 60:
        head.append(("Lengkap", tanggal(case.clock_started_at, with_time=True)))
    head += [("Status", indonesian(Case.State(case.state).label))]
    if case.register_entry_id:
        head.append(("Nomor akta", case.register_entry.number_display))
    land = [
        ("Alas hak", case.get_land_title_display()),
        ("Nomor", case.land_reference),
        ("Letak", place_text(case)),
        ("Luas", area_text(case.area_m2)),
        ("NOP PBB", nop_display(case.nop)),
        ("NJOP", rupiah(case.njop)),
        ("Harga transaksi", rupiah(case.value)),
    ]
    fee_rows, notes = _fee_rows(case)

    ppat = ppat_for(office=office, on=timezone.localdate(case.received_at))
    head.insert(1, ("PPAT", f"{ppat.name}, {ppat_title(office)}" if ppat.name else ppat_title(office)))
    flow = letterhead(office, st, width) + [
        para("TANDA TERIMA BERKAS AKTA TANAH", st["title"]),
        para(codes.display(case.code), st["code"]),
        para("Kode berkas: sebutkan kode ini setiap menanyakan atau mengambil berkas akta di loket.", st["center"]),
        Spacer(1, 4),
        facts(head, st, width),
        Spacer(1, 4),
        para("Para pihak", st["bold"]),
        Spacer(1, 2),
        _parties_table(case, st, width),
        Spacer(1, 4),
        para("Objek tanah", st["bold"]),
        facts(land, st, width),
        Spacer(1, 4),
        para("Kelengkapan berkas", st["bold"]),
        Spacer(1, 2),
        _checklist_table(case, st, width),
    ]
    if case.state == Case.State.RETURNED:
        flow += [Spacer(1, 3), para("Berkas belum lengkap dan dikembalikan kepada pemohon; lengkapi yang belum ada "
                                  "dan bawa kembali ke loket. Kode berkas tetap sama.", st["bold"])]
    flow += [
        Spacer(1, 4),
        KeepTogether([para("Uang jasa PPAT", st["bold"]), facts(fee_rows, st, width)]
                     + [para(n, st["small"]) for n in notes]),
        Spacer(1, 4),
        KeepTogether([para("Waktu penyelesaian", st["bold"]), facts(_time_rows(case), st, width)]),
        Spacer(1, 4),
        facts([("Petugas", actor_text(case.received_by))], st, width),
        Spacer(1, 6),
        KeepTogether([_halves(
            [para("Yang menyerahkan,", _centre(st)), para("Pemohon/ kuasa", _centre(st)), Spacer(1, 12 * mm),
             para(BLANK_NAME, _centre(st))],
            [para("Yang menerima,", _centre(st)), para("Petugas pelayanan", _centre(st)), Spacer(1, 12 * mm),
             para(_user_name(case.received_by), _centre(st, "bold"))],
            width)]),
        Spacer(1, 4),
        para("Simpan tanda terima ini dan tunjukkan saat mengambil akta. Pelacakan berkas akta secara daring belum "
           "tersedia: tanyakan perkembangan berkas di loket atau melalui telepon kantor dengan menyebut kode berkas.",
           st["small"]),
    ]
    return build(page, margin, flow, title=f"Tanda Terima Berkas Akta {codes.display(case.code)}", office=office)


# --- the cover sheet ---------------------------------------------------------------------------

def _roles_in_order(case: Case) -> list[tuple[str, list]]:
    """The parties grouped by role, in the order they were entered."""
    groups: dict[str, list] = {}
    for p in case.parties.all():
        groups.setdefault(p.get_role_display(), []).append(p)
    return list(groups.items())


def cover_pdf(case: Case) -> bytes:
    """Sampul Akta, on A4: the PPAT Sementara and the office, the kind of deed as the title, its
    number in the Buku Register PPAT ("Nomor: 12/2026") and the date it was signed, the parties,
    the land and the value, and the Camat before whom it was made. Only for a deed registered
    (or handed over): ``NotRegistered`` otherwise."""
    entry = case.register_entry
    if case.state not in COVER_STATES or entry is None or case.signed_at is None:
        raise NotRegistered(f"Akta {codes.display(case.code)} belum dicatat di Buku Register PPAT.")
    office = case.office
    st = styles(11)
    page = A4
    width = text_width(page, 20 * mm)
    c = _centre(st)
    big = ParagraphStyle("deed", parent=st["title"], fontSize=24, leading=30, spaceBefore=0, spaceAfter=6)
    number = ParagraphStyle("number", parent=st["title"], fontSize=16, leading=20)
    ppat_line = ppat_title(office)
    signing = Signing.objects.filter(case=case, cancelled=False).first()

    parties = []
    for role, people in _roles_in_order(case):
        parties.append((role, "; ".join(party_name(p) for p in people)))
    proxies = [f"{p.proxy_name} untuk {p.name}" for p in case.parties.all() if p.proxy_name]
    if proxies:
        parties.append(("Kuasa", "; ".join(proxies)))
    if not parties:
        parties.append(("Para pihak", "\u2014"))
    land = [
        ("Hak atas tanah", f"{title_text(case)} ({case.get_land_title_display()})"),
        ("Letak", f"{place_text(case)}, {office.name}, {office.city}".rstrip(", ")),
        ("Luas", area_text(case.area_m2)),
        ("NOP PBB", nop_display(case.nop)),
        ("Harga transaksi", f"{rupiah(case.value)} ({terbilang(case.value)})"),
    ]

    # The PPAT before whom the deed was made: the Camat in post on the day it was signed (titled
    # name and NIP from the office's data); the signing account's name when the office has none.
    ppat = ppat_for(office=office, on=timezone.localdate(case.signed_at))
    signer_name = ppat.name or _user_name(case.signed_by)
    signer_staff = getattr(case.signed_by, "staff", None)
    signer_nip = ppat.nip or (signer_staff.nip if signer_staff is not None else "")
    flow = [
        para("PEJABAT PEMBUAT AKTA TANAH SEMENTARA", ParagraphStyle("ppat", parent=st["office"], fontSize=15,
                                                                 leading=19)),
        para(ppat_line.removesuffix(" selaku PPAT Sementara").upper(), st["office"]),
        para(f"Daerah kerja: {case.appointment.area if case.appointment else office.name}, {office.city}".rstrip(", "), c),
    ]
    if case.appointment is not None:  # the decree that makes the Camat PPAT Sementara
        flow.append(para(f"SK PPAT Sementara Nomor {case.appointment.decree_number} tanggal "
                         f"{tanggal(case.appointment.decree_date)}", c))
    contact = " \u00b7 ".join(x for x in [office.address, f"Telp. {office.telephone}" if office.telephone else ""]
                              if x)
    if contact:
        flow.append(para(contact, c))
    rule = Table([[""]], colWidths=[width], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.2, colors.black)]))
    flow += [
        rule,
        Spacer(1, 45 * mm),
        para(case.kind_label.upper(), big),
        para(f"Nomor: {entry.number_display}", number),
        para(f"Tanggal: {tanggal(case.signed_at)}", _centre(st, "bold")),
        Spacer(1, 18 * mm),
        para("Para pihak", st["bold"]),
        facts(parties, st, width),
        Spacer(1, 6 * mm),
        para("Objek", st["bold"]),
        facts(land, st, width),
        Spacer(1, 16 * mm),
    ]
    before = [para("Dibuat di hadapan:", c), Spacer(1, 2 * mm), para(signer_name, _centre(st, "bold")),
              para(ppat_line, c)]
    if signer_nip:
        before.append(para(f"NIP. {nip_text(signer_nip)}", c))
    if signing is not None:
        before += [Spacer(1, 3 * mm), para(f"Saksi: {signing.witness_1} dan {signing.witness_2}", st["small"])]
    before += [
        Spacer(1, 3 * mm),
        para(f"Dicatat dalam Buku Register PPAT Nomor {entry.number_display} tanggal {tanggal(entry.entered_at)} "
           f"\u00b7 Kode berkas {codes.display(case.code)}", st["small"]),
    ]
    flow.append(KeepTogether(before))
    return build(page, 20 * mm, flow, title=f"Sampul {case.kind_label} Nomor {entry.number_display}",
                  office=office)
