#!/usr/bin/env python
"""Write Loket's bundled letter templates (loket/papers/letter_templates/*.docx) with python-docx.

Run from the project root after changing a letter's wording:
    .venv/bin/python scripts/make-letter-templates.py
The .docx files are committed; an office edits its own copy in Word (docs/letters.md). Every
placeholder used here must be in loket.papers.letters.SAFE_FIELDS (the script checks them).

Layout of a surat dinas (Permendagri 1/2023, as summarised in docs/letters.md): the kop, then
Nomor/Sifat/Lampiran/Hal at the left with the place and date at the right on the Nomor line,
"Yth." and the addressee under Hal, the body, the signer's block at the right, Tembusan last.
The kop is in the Word header (for printing from Word); the PDF draws the office's kop itself.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import sys

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "loket" / "papers" / "letter_templates"

PEMOHON = [
    ("Nama", "{{ pemohon_nama }}"),
    ("NIK", "{{ pemohon_nik }}"),
    ("Tempat, tanggal lahir", "{{ pemohon_ttl }}"),
    ("Pekerjaan", "{{ pemohon_pekerjaan }}"),
    ("Alamat", "{{ pemohon_alamat }}"),
]
CLOSING = "Demikian rekomendasi ini dibuat untuk dipergunakan sebagaimana mestinya."

LETTERS = {
    "rekomendasi-keramaian": [
        ("p", "Berdasarkan permohonan yang bersangkutan, surat pengantar RT/RW dan surat keterangan "
              "Kelurahan, {{ kantor_nama }} memberikan rekomendasi kepada:"),
        ("rows", PEMOHON),
        ("p", "untuk menyelenggarakan keramaian dengan keterangan sebagai berikut:"),
        ("rows", [
            ("Kegiatan", "{{ kegiatan }}"),
            ("Hari, tanggal, jam", "{{ waktu_kegiatan }}"),
            ("Tempat", "{{ tempat_kegiatan }}"),
            ("Hiburan", "{{ hiburan|default('-') }}"),
            ("Perkiraan jumlah undangan", "{{ jumlah_peserta|default('-') }}"),
        ]),
        ("p", "Rekomendasi ini merupakan kelengkapan permohonan izin keramaian kepada Kepolisian. "
              "Penyelenggara wajib menjaga keamanan, ketertiban dan kebersihan lingkungan serta "
              "mematuhi ketentuan peraturan perundang-undangan."),
        ("p", CLOSING),
    ],
    "rekomendasi-penutupan-jalan": [
        ("p", "Berdasarkan permohonan yang bersangkutan, surat pengantar RT/RW dan surat keterangan "
              "Kelurahan, {{ kantor_nama }} memberikan rekomendasi penutupan jalan kepada:"),
        ("rows", PEMOHON),
        ("p", "dengan keterangan sebagai berikut:"),
        ("rows", [
            ("Kegiatan", "{{ kegiatan }}"),
            ("Ruas jalan yang ditutup", "{{ ruas_jalan }}"),
            ("Hari, tanggal, jam", "{{ waktu_kegiatan }}"),
            ("Tempat kegiatan", "{{ tempat_kegiatan }}"),
        ]),
        ("p", "Pemohon wajib menyediakan jalur alternatif dan rambu petunjuk arah, berkoordinasi "
              "dengan petugas lalu lintas, serta membuka dan membersihkan kembali jalan segera "
              "setelah kegiatan selesai."),
        ("p", CLOSING),
    ],
    "rekomendasi-umum": [
        ("p", "Berdasarkan permohonan yang bersangkutan, surat pengantar RT/RW dan surat keterangan "
              "Kelurahan, {{ kantor_nama }} memberikan rekomendasi kepada:"),
        ("rows", PEMOHON),
        ("p", "{{ keterangan }}"),
        ("p", "Rekomendasi ini diberikan untuk keperluan {{ keperluan }}."),
        ("p", CLOSING),
    ],
    "pengantar-penelitian": [
        ("p", "Menindaklanjuti {{ surat_dasar }}, bersama ini kami hadapkan kepada Saudara:"),
        ("rows", [
            ("Nama", "{{ pemohon_nama }}"),
            ("NIK", "{{ pemohon_nik }}"),
            ("Lembaga", "{{ lembaga }}"),
            ("Alamat", "{{ pemohon_alamat }}"),
        ]),
        ("p", "untuk melaksanakan penelitian/survei dengan keterangan sebagai berikut:"),
        ("rows", [
            ("Judul", "{{ judul_penelitian }}"),
            ("Lokasi", "{{ instansi_tujuan }}"),
            ("Waktu", "{{ waktu_kegiatan }}"),
        ]),
        ("p", "Sehubungan dengan hal tersebut, mohon Saudara berkenan memberikan bantuan dan kemudahan "
              "seperlunya. Peneliti wajib mematuhi ketentuan yang berlaku di tempat penelitian."),
        ("p", "Demikian untuk menjadi maklum, atas perhatian dan kerja sama Saudara disampaikan "
              "terima kasih."),
    ],
}


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def fixed_table(doc, rows: list[list[str]], widths_cm: list[float], *, indent_cm: float = 0):
    table = doc.add_table(rows=len(rows), cols=len(widths_cm))
    table.autofit = False
    no_borders(table)
    if indent_cm:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(indent_cm * 567)))
        ind.set(qn("w:type"), "dxa")
        table._tbl.tblPr.append(ind)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Cm(widths_cm[c])
            cell.paragraphs[0].text = text
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    for c, width in enumerate(widths_cm):
        table.columns[c].width = Cm(width)
    return table


def body_paragraph(doc, text: str) -> None:
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Cm(1.25)
    p.paragraph_format.space_after = Pt(6)


def make(code: str, blocks: list) -> Document:
    doc = Document()
    section = doc.sections[0]
    # F4 (215 × 330 mm), the paper most regional offices use; Word can switch it to A4
    section.page_width, section.page_height = Cm(21.5), Cm(33)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    sign = doc.styles.add_style("Tanda Tangan", WD_STYLE_TYPE.PARAGRAPH)
    sign.base_style = normal
    sign.paragraph_format.left_indent = Cm(8.5)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # kop in the Word header (the PDF draws its own)
    header = section.header
    lines = ["PEMERINTAH {{ kota|upper }}", "{{ kantor_nama|upper }}", "{{ kantor_alamat }}"]
    header.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        header.add_paragraph(line)
    for n, p in enumerate(header.paragraphs):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in p.runs:
            run.bold = n < 2

    # Nomor/Sifat/Lampiran/Hal at the left, place and date at the right of the Nomor line
    head = fixed_table(doc, [
        ["Nomor", ":", "{{ nomor }}", "{{ tempat }}, {{ tanggal }}"],
        ["Sifat", ":", "{{ sifat }}", ""],
        ["Lampiran", ":", "{{ lampiran|default('-') }}", ""],
        ["Hal", ":", "{{ hal }}", ""],
    ], [2.5, 0.5, 7.0, 6.5])
    head.cell(0, 3).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in head.cell(3, 2).paragraphs[0].runs:
        run.bold = True
    doc.add_paragraph()
    doc.add_paragraph("Yth. {{ kepada }}")
    doc.add_paragraph("di {{ di }}")
    doc.add_paragraph()

    for kind, content in blocks:
        if kind == "p":
            body_paragraph(doc, content)
        else:
            fixed_table(doc, [[label, ":", value] for label, value in content], [5.0, 0.5, 9.0], indent_cm=1.25)
            doc.add_paragraph().paragraph_format.space_after = Pt(6)

    # signer's block: this style marks where the PDF puts its own signer block and Tembusan
    doc.add_paragraph()
    doc.add_paragraph("{{ penanda_tangan_jabatan }}", style="Tanda Tangan")
    for _ in range(3):
        doc.add_paragraph("", style="Tanda Tangan")
    name = doc.add_paragraph("", style="Tanda Tangan")
    name.add_run("{{ penanda_tangan_nama }}").bold = True
    doc.add_paragraph("{{ penanda_tangan_pangkat }}", style="Tanda Tangan")
    doc.add_paragraph("NIP. {{ penanda_tangan_nip }}", style="Tanda Tangan")
    doc.add_paragraph()
    doc.add_paragraph("Tembusan:")
    doc.add_paragraph("{%p for t in tembusan %}")
    doc.add_paragraph("{{ t }}", style="List Number")
    doc.add_paragraph("{%p endfor %}")

    props = doc.core_properties
    props.title = ""
    props.author = "Loket"
    props.comments = f"Templat surat Loket: {code}. Isian yang boleh: docs/letters.md."
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1
    props.last_modified_by = "Loket"
    return doc


def main() -> None:
    import io
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    django.setup()
    from loket.papers.letters import BUNDLED, template_check

    OUT.mkdir(parents=True, exist_ok=True)
    assert set(LETTERS) == set(BUNDLED), "LETTERS and letters.BUNDLED must name the same letters"
    for code, blocks in LETTERS.items():
        buffer = io.BytesIO()
        make(code, blocks).save(buffer)
        data = buffer.getvalue()
        used = template_check(data)  # refuses a placeholder that is not a safe field
        (OUT / f"{code}.docx").write_bytes(data)
        print(f"{code}.docx: {len(data)} bytes, fields: {', '.join(sorted(used))}")


if __name__ == "__main__":
    main()
