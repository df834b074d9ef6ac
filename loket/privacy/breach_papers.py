"""The two letters of a breach (UU 27/2022 Pasal 46 ayat (1)): the written notice to the data
subjects and the one to the Lembaga, on the office's letterhead, signed by the Camat (the head
of the controller; ``offices.signers.signer_for``), A4.

Both say what Pasal 46 ayat (2) asks at least: (a) the personal data disclosed, (b) when and how,
(c) what the office does to handle it and recover. The subjects' letter adds what the citizen
can do and the data protection officer's contact (Pasal 53; ``privacy.Officer``); the Lembaga's
adds the number of people affected, the state of the notice to the subjects and the office's
contact.

The wording is the office's template: ``LETTERS`` below, one dict of Indonesian paragraphs with
``{placeholders}`` (listed in ``PLACEHOLDERS``), so an office can read and change it in one place.
The clerk's texts are inserted as plain text (``core.pdf.para`` escapes them).

A letter is issued when its notice is recorded (``breaches.breach_notify_subjects`` /
``_authority``): numbered in the Buku Agenda Surat Keluar, with a verification code, stored as a
``papers.Document`` (the Camat may sign it electronically on its page). Before that the page
offers the draft (*konsep*): the same letter with the number left as dots and today's date.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle
from django.utils import timezone

from loket.core import codes
from loket.core.formats import tanggal
from loket.core.pdf import build, facts, letterhead, para, place_of, signature_block, styles, text_width
from loket.offices.signers import signer_for
from loket.papers.models import Document
from loket.papers.services import document_issue
from loket.privacy.policy import DEADLINE, officer_of
from loket.privacy.models import Breach, Officer

MARGIN = 20 * mm
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
BLANK = "……"

# What each placeholder holds (for whoever edits the wording below).
PLACEHOLDERS = {
    "office": "nama kantor, mis. Kecamatan Kartoharjo",
    "office_contact": "alamat, telepon dan e-mail kantor",
    "code": "kode catatan kegagalan, mis. ABCD-EFGH",
    "title": "judul singkat kejadian",
    "description": "uraian: apa yang terjadi, bagaimana data terungkap",
    "occurred": "waktu kejadian, atau 'belum diketahui'",
    "known": "waktu kantor mengetahui kegagalan",
    "due": "tenggat pemberitahuan (waktu diketahui + 3 × 24 jam)",
    "data_affected": "data pribadi yang terungkap",
    "subjects_affected": "subjek data yang terdampak",
    "subjects_count": "jumlah orang terdampak, atau 'belum diketahui'",
    "actions": "upaya penanganan dan pemulihan",
    "subjects_notice": "keadaan pemberitahuan kepada subjek data",
    "officer": "nama, jabatan dan kontak pejabat pelindungan data pribadi",
    "authority": "lembaga yang dituju",
}

LETTERS = {
    "subjects": {
        "title": "Pemberitahuan Kegagalan Pelindungan Data Pribadi",
        "addressee": "Bapak/Ibu Subjek Data Pribadi yang terdampak\n({subjects_affected})",
        "opening": (
            "Dengan hormat,",
            "Dengan ini {office} selaku Pengendali Data Pribadi dalam penyelenggaraan pelayanan publik memberitahukan "
            "bahwa telah terjadi kegagalan pelindungan data pribadi yang menyangkut data pribadi Bapak/Ibu. "
            "Pemberitahuan tertulis ini disampaikan sesuai dengan Pasal 46 Undang-Undang Nomor 27 Tahun 2022 tentang "
            "Pelindungan Data Pribadi.",
        ),
        "sections": (
            ("Data pribadi yang terungkap", "{data_affected}"),
            ("Kapan dan bagaimana data pribadi terungkap", "Waktu kejadian: {occurred}. Diketahui oleh kantor: "
                                                           "{known}.\n{description}"),
            ("Upaya penanganan dan pemulihan oleh kantor", "{actions}"),
            ("Yang dapat Bapak/Ibu lakukan",
             "Waspadai pesan, telepon atau surat yang mengatasnamakan {office} dan meminta data pribadi, kata sandi, "
             "kode OTP atau pembayaran: kantor tidak pernah memintanya.\n"
             "Bapak/Ibu berhak mendapatkan akses dan salinan data pribadi Bapak/Ibu yang kami simpan serta meminta "
             "pembetulan data yang tidak akurat (UU 27/2022 Pasal 6 dan Pasal 7), di loket kantor dengan "
             "menunjukkan KTP-el atau melalui pejabat pelindungan data pribadi.\n"
             "Untuk pertanyaan tentang kejadian ini (kode {code}) hubungi pejabat pelindungan data pribadi kami: "
             "{officer}."),
        ),
        "closing": (
            "Kami mohon maaf atas kejadian ini. Atas perhatian Bapak/Ibu kami ucapkan terima kasih.",
        ),
    },
    "authority": {
        "title": "Pemberitahuan Kegagalan Pelindungan Data Pribadi",
        "addressee": "{authority}",
        "opening": (
            "Dengan hormat,",
            "Berdasarkan Pasal 46 ayat (1) Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi, "
            "{office} selaku Pengendali Data Pribadi dalam penyelenggaraan pelayanan publik menyampaikan pemberitahuan "
            "tertulis atas kegagalan pelindungan data pribadi sebagai berikut.",
        ),
        "facts": (
            ("Kode catatan", "{code}"),
            ("Kejadian", "{title}"),
            ("Waktu kejadian", "{occurred}"),
            ("Waktu diketahui", "{known}"),
            ("Subjek data terdampak", "{subjects_affected}"),
            ("Jumlah subjek data", "{subjects_count}"),
            ("Pemberitahuan kepada subjek data", "{subjects_notice}"),
        ),
        "sections": (
            ("Data pribadi yang terungkap", "{data_affected}"),
            ("Kapan dan bagaimana data pribadi terungkap", "{description}"),
            ("Upaya penanganan dan pemulihan", "{actions}"),
            ("Kontak", "Pejabat pelindungan data pribadi: {officer}.\nKantor: {office}, {office_contact}."),
        ),
        "closing": (
            "Keterangan lebih lanjut akan kami sampaikan bila diperlukan. Demikian pemberitahuan ini kami sampaikan; "
            "atas perhatiannya kami ucapkan terima kasih.",
        ),
    },
}


def _contact(office) -> str:
    parts = [office.address or "", f"telepon {office.telephone}" if office.telephone else "",
             f"e-mail {office.email}" if office.email else ""]
    return ", ".join(p for p in parts if p) or "—"


def _officer_text(officer: Officer | None, office) -> str:
    if officer is None:
        return f"belum ditunjuk; hubungi {office.name} ({_contact(office)})"
    reach = ", ".join(p for p in [f"telepon {officer.telephone}" if officer.telephone else "",
                                  f"e-mail {officer.email}" if officer.email else ""] if p)
    return f"{officer.name}, {officer.position}" + (f" ({reach})" if reach else "")


class _Values(dict):
    """A placeholder an edited template misspells is printed as written, not a server error."""

    def __missing__(self, key):
        return "{" + key + "}"


def values(b: Breach, officer: Officer | None) -> dict[str, str]:
    """The placeholders' values of one breach, as the letters print them."""
    office = b.office
    if b.subjects_notified_at:
        notice = f"sudah disampaikan pada {tanggal(b.subjects_notified_at, with_time=True)}"
    else:
        notice = "sedang disampaikan"
    return _Values({
        "office": office.name, "office_contact": _contact(office), "code": codes.display(b.code), "title": b.title,
        "description": b.description,
        "occurred": tanggal(b.occurred_at, with_time=True) if b.occurred_at else "belum diketahui",
        "known": tanggal(b.known_at, with_time=True), "due": tanggal(b.known_at + DEADLINE, with_time=True),
        "data_affected": b.data_affected, "subjects_affected": b.subjects_affected,
        "subjects_count": f"{b.subjects_count:,} orang".replace(",", ".") if b.subjects_count is not None
        else "belum diketahui",
        "actions": b.actions, "subjects_notice": notice, "officer": _officer_text(officer, office),
        "authority": b.authority,
    })


def _lines(text: str, st) -> list:
    """One paragraph per line of ``text`` (the clerk's lines stay lines)."""
    return [para(line, st["normal"]) for line in text.splitlines() if line.strip()] or [para("—", st["normal"])]


def _number(office, on) -> str:
    """The letter number in the office's format with the running number and the class left as
    dots, to be written from the agenda book."""
    values_ = {"klasifikasi": BLANK, "nomor": BLANK, "kode_unit": office.unit_code(), "tahun": str(on.year),
               "bulan_romawi": ROMAN[on.month - 1]}
    try:
        return office.number_format().format_map(values_)
    except (KeyError, ValueError, IndexError):
        return f"{BLANK}/{BLANK}/{office.unit_code()}/{on.year}"


def letter_pdf(b: Breach, whom: str, *, number: str = "", verification_code: str = "", issued_at=None) -> bytes:
    """The letter of ``whom`` ("subjects" or "authority") for breach ``b``: issued (``number``,
    ``verification_code`` and ``issued_at`` from ``papers.document_issue``) or, without them, the
    draft dated today with the number left as dots."""
    template = LETTERS[whom]
    office = b.office
    v = values(b, officer_of(office))
    fill = lambda text: text.format_map(v)  # noqa: E731
    st = styles(10)
    width = text_width(A4, MARGIN)
    today = timezone.localdate(issued_at) if issued_at else timezone.localdate()
    head = Table([
        [para("Nomor", st["normal"]), para(f": {number or _number(office, today)}", st["normal"]),
         para(f"{place_of(office)}, {tanggal(today)}", st["normal"])],
        [para("Sifat", st["normal"]), para(": Segera", st["normal"]), ""],
        [para("Lampiran", st["normal"]), para(": -", st["normal"]), ""],
        [para("Hal", st["normal"]), para(f": {template['title']}", st["bold"]), ""],
    ], colWidths=[22 * mm, width - 22 * mm - 60 * mm, 60 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    flow = letterhead(office, st, width) + [head, Spacer(1, 5 * mm), para("Kepada Yth.", st["normal"])]
    flow += [para(line, st["bold"]) for line in fill(template["addressee"]).splitlines() if line.strip()]
    flow += [para("di tempat", st["normal"]), Spacer(1, 5 * mm)]
    for text in template["opening"]:
        flow += [para(fill(text), st["normal"]), Spacer(1, 2 * mm)]
    if template.get("facts"):
        flow += [facts([(label, fill(text)) for label, text in template["facts"]], st, width), Spacer(1, 3 * mm)]
    for number, (label, text) in enumerate(template["sections"], 1):
        flow += [para(f"{number}. {label}", st["bold"]), *_lines(fill(text), st), Spacer(1, 2 * mm)]
    closing = []
    for text in template["closing"]:
        closing += [para(fill(text), st["normal"]), Spacer(1, 2 * mm)]
    signer = signer_for(office=office, post="camat", on=today)
    block = signature_block(signer, place="", on=today, st=st, width=70 * mm)[1:]  # dated in the heading
    sign = Table([["", block]], colWidths=[width - 80 * mm, 80 * mm])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    flow.append(KeepTogether([*closing, Spacer(1, 4 * mm), sign]))  # the signature never alone on a page
    if verification_code:
        flow += [Spacer(1, 4 * mm), para(f"Kode verifikasi {codes.display(verification_code)}", st["small"])]
    else:
        flow += [Spacer(1, 4 * mm), para("KONSEP: nomor surat diberikan dari Buku Agenda Surat Keluar saat "
                                         "pemberitahuan dicatat di Loket.", st["small"])]
    title = f"{template['title']} {codes.display(b.code)}"
    return build(A4, MARGIN, flow, title=title, office=office)


TEMPLATE = {"subjects": "pdp-subjek", "authority": "pdp-lembaga"}  # papers.Document.template of each


def letter_issue(b: Breach, whom: str, *, actor, at) -> Document:
    """Issue the letter of ``whom`` for ``b``, dated ``at``: its number from the Buku Agenda Surat
    Keluar, signed by the Camat (printed; electronic signing on the document's page). Runs in the
    caller's transaction (the notice and its letter commit together)."""
    office = b.office
    addressee = b.subjects_affected if whom == "subjects" else b.authority
    return document_issue(
        office=office, kind=Document.Kind.LETTER, title=LETTERS[whom]["title"], reference=b.code, actor=actor,
        signer=signer_for(office=office, post="camat", on=timezone.localdate(at)), addressee=addressee[:300],
        subject=f"{LETTERS[whom]['title']} {codes.display(b.code)}"[:300], template=TEMPLATE[whom], at=at,
        render=lambda *, number, verification_code, issued_at: letter_pdf(
            b, whom, number=number, verification_code=verification_code, issued_at=issued_at),
    )


def letters_issued(b: Breach) -> dict[str, Document]:
    """The letters issued for ``b``, by addressee ("subjects", "authority")."""
    by_template = {t: w for w, t in TEMPLATE.items()}
    return {by_template[d.template]: d for d in Document.objects.filter(
        office_id=b.office_id, reference=b.code, template__in=TEMPLATE.values()).order_by("issued_at")}
