"""Letters (surat dinas) from Word templates the office can edit, safely.

An office keeps its letters as ordinary .docx files, edited in Word, with placeholders such as
``{{ pemohon_nama }}`` (docxtpl's Jinja syntax). A template is data written by staff, not code:
before any template is used, ``template_check`` reads every placeholder in it (body, headers,
footers, footnotes, document properties) and refuses anything but a plain field from
``SAFE_FIELDS``, a filter from ``SAFE_FILTERS``, ``{% if %}`` and ``{% for %}``. Attribute access,
calls, indexing, ``{% include %}``/``{% import %}``/``{% extends %}``/``{% macro %}``, arithmetic and
unknown names are refused with a message naming what was found. Rendering then runs in Jinja's
SandboxedEnvironment with autoescape on and no globals (defence in depth), and every value is
plain text: a citizen called ``{{7*7}}`` or ``<w:t>`` is printed as exactly that.

The same rendered .docx gives the PDF (``letter_render_pdf``): the office's kop, the body
converted to reportlab flowables, the signer block (the electronic signature's place) and the
Tembusan list. Layout of a surat dinas: Permendagri 1/2023 (Tata Naskah Dinas di Lingkungan
Pemerintah Daerah); see docs/letters.md for what was and was not verified.

NIK and other personal data go into the letter (the letter needs them) but are never logged:
error messages name fields, never their values.
"""

from __future__ import annotations

import io
import re
from importlib import resources
from xml.sax.saxutils import escape

import docx
import jinja2
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Indenter, Paragraph, Spacer, Table, TableStyle

from loket.core.errors import InvalidInput
from loket.core.pdf import build, letterhead, para, styles, text_width

# The only placeholders a letter template may use. Every value is plain text (``tembusan`` is a
# list of plain texts); the descriptions are shown to the office (docs/letters.md).
SAFE_FIELDS: dict[str, str] = {
    # Kepala surat (Permendagri 1/2023: nomor, sifat, lampiran, hal; tempat dan tanggal; Yth.)
    "nomor": "Nomor surat dari Buku Agenda Surat Keluar, mis. 300/12/401.301/2026",
    "tanggal": "Tanggal surat, mis. 6 Desember 2026",
    "tempat": "Tempat surat dibuat (nama kota tanpa 'Kota'/'Kabupaten'), mis. Madiun",
    "sifat": "Sifat surat: Biasa, Segera, Penting, Rahasia",
    "lampiran": "Lampiran, mis. 1 (satu) berkas, atau '-'",
    "hal": "Hal (perihal) surat",
    "kepada": "Yth. …: jabatan yang dituju",
    "di": "Alamat/tempat yang dituju, mis. Tempat atau Madiun",
    "tembusan": "Daftar tembusan (daftar teks; dipakai dengan {% for t in tembusan %})",
    "klasifikasi": "Kode klasifikasi arsip",
    "kode_berkas": "Kode berkas Loket yang menjadi dasar surat",
    # Pemohon
    "pemohon_nama": "Nama pemohon",
    "pemohon_nik": "NIK pemohon (tercetak di surat, tidak pernah dicatat di log)",
    "pemohon_ttl": "Tempat dan tanggal lahir pemohon",
    "pemohon_jenis_kelamin": "Jenis kelamin pemohon",
    "pemohon_alamat": "Alamat pemohon",
    "pemohon_pekerjaan": "Pekerjaan pemohon",
    "keperluan": "Keperluan/maksud permohonan",
    "keterangan": "Keterangan tambahan (teks bebas dari petugas)",
    # Kegiatan (keramaian, penutupan jalan)
    "kegiatan": "Nama/jenis kegiatan, mis. resepsi pernikahan",
    "tempat_kegiatan": "Tempat kegiatan",
    "waktu_kegiatan": "Hari, tanggal dan jam kegiatan",
    "jumlah_peserta": "Perkiraan jumlah peserta/undangan",
    "hiburan": "Jenis hiburan, mis. organ tunggal, atau '-'",
    "ruas_jalan": "Ruas jalan yang ditutup",
    # Penelitian
    "judul_penelitian": "Judul penelitian/survei",
    "lembaga": "Lembaga/perguruan tinggi asal peneliti",
    "instansi_tujuan": "Instansi/kelurahan tempat penelitian",
    "surat_dasar": "Surat yang menjadi dasar, mis. surat Badan Kesbangpol nomor … tanggal …",
    # Kantor dan penanda tangan
    "kantor_nama": "Nama kantor, mis. Kecamatan Kartoharjo",
    "kantor_alamat": "Alamat kantor",
    "kota": "Kabupaten/kota kantor, mis. Kota Madiun",
    "penanda_tangan_jabatan": "Jabatan penanda tangan, mis. a.n. CAMAT KARTOHARJO / Sekretaris Kecamatan",
    "penanda_tangan_nama": "Nama penanda tangan",
    "penanda_tangan_pangkat": "Pangkat/golongan penanda tangan",
    "penanda_tangan_nip": "NIP penanda tangan",
}

# Filters a template may use; everything Jinja offers beyond these (``safe`` above all, which would
# let a value become Word XML) is refused.
SAFE_FILTERS: frozenset[str] = frozenset({"upper", "lower", "title", "default"})

LIST_FIELDS = frozenset({"tembusan"})

# A paragraph in this Word style starts the signature part of a template: the PDF replaces it and
# everything after it by the signer block and the Tembusan list (docs/letters.md).
SIGNATURE_STYLE = "Tanda Tangan"

PAPERS = {"A4": A4, "F4": (215 * mm, 330 * mm)}
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024

TEMPLATE_DIR = "letter_templates"

# The bundled letters. ``service`` is the catalogue code (loket/catalog/standards/kartoharjo-2018.yaml):
# izin-keramaian (no. 10), penutupan-jalan (no. 11), legalisasi-umum (no. 15, product "Surat
# Rekomendasi"), penelitian (no. 16, product "surat pengantar penelitian"). ``klasifikasi`` is the
# archive classification code the clerk may change; the codes are the office's to confirm against
# its own classification list (Permendagri 83/2022), see docs/letters.md. ``{kantor}`` and ``{kota}``
# in kepada/di/tembusan are filled from the office by ``letter_defaults``.
BUNDLED: dict[str, dict] = {
    "rekomendasi-keramaian": {
        "title": "Surat Rekomendasi Izin Keramaian",
        "service": "izin-keramaian",
        "klasifikasi": "300",
        "sifat": "Biasa",
        "hal": "Rekomendasi Izin Keramaian",
        "kepada": "Kepala Kepolisian Resor {kota}",
        "di": "Tempat",
        "tembusan": ["Kepala Kepolisian Sektor setempat", "Lurah setempat", "Arsip"],
    },
    "rekomendasi-penutupan-jalan": {
        "title": "Surat Rekomendasi Penutupan Jalan",
        "service": "penutupan-jalan",
        "klasifikasi": "300",
        "sifat": "Biasa",
        "hal": "Rekomendasi Penutupan Jalan",
        "kepada": "Kepala Kepolisian Resor {kota}",
        "di": "Tempat",
        "tembusan": ["Kepala Dinas Perhubungan {kota}", "Kepala Kepolisian Sektor setempat",
                     "Lurah setempat", "Arsip"],
    },
    "rekomendasi-umum": {
        "title": "Surat Rekomendasi",
        "service": "legalisasi-umum",
        "klasifikasi": "100",
        "sifat": "Biasa",
        "hal": "Rekomendasi",
        "kepada": "",
        "di": "Tempat",
        "tembusan": ["Arsip"],
    },
    "pengantar-penelitian": {
        "title": "Surat Pengantar Penelitian",
        "service": "penelitian",
        "klasifikasi": "070",
        "sifat": "Biasa",
        "hal": "Pengantar Penelitian/Survei",
        "kepada": "Lurah se-{kantor}",
        "di": "Tempat",
        "tembusan": ["Kepala Badan Kesatuan Bangsa dan Politik {kota}", "Arsip"],
    },
}


class LetterTemplateError(InvalidInput):
    """A letter template (or the values given to it) that Loket refuses. ``field`` names the
    placeholder at fault; the message is Indonesian and never carries a value."""

    def __init__(self, message: str, *, field: str = ""):
        self.message = message
        self.field = field
        super().__init__({"template": [message]})


# --- checking ---------------------------------------------------------------------------------

_ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.Filter,
    nodes.If, nodes.For, nodes.Not, nodes.And, nodes.Or, nodes.CondExpr, nodes.Compare,
    nodes.Operand, nodes.Concat,
)
_TAGS = {
    nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import",
    nodes.Extends: "extends", nodes.Macro: "macro", nodes.CallBlock: "call", nodes.Block: "block",
    nodes.Assign: "set", nodes.AssignBlock: "set", nodes.FilterBlock: "filter", nodes.With: "with",
    nodes.ScopedEvalContextModifier: "autoescape", nodes.EvalContextModifier: "autoescape",
    nodes.Scope: "autoescape",  # {% autoescape %} parses to a Scope around its modifier
}
# docxtpl's "{{r x}}", "{{p x}}", "{{tr x}}", "{{tc x}}" put a value in place of a whole run,
# paragraph, row or cell, as Word XML (RichText, Subdoc): refused, as is the run form "{%r …%}".
_RAW_TAG = re.compile(r"\{\{\s*(r|p|tr|tc)\s|\{%\s*r\s")


def _env() -> SandboxedEnvironment:
    """The sandbox every template is parsed and rendered in: autoescape, no globals, only the
    safe filters, no tests."""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.Undefined)
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    env.globals = {}
    env.tests = {}
    return env


def _describe(node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_describe(node.node)}[…]"
    if isinstance(node, nodes.Call):
        return f"{_describe(node.node)}(…)"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return type(node).__name__


def _walk(node, bound: frozenset[str], used: set[str]) -> None:
    """Refuse everything but plain fields, safe filters, if and for; collect the fields used."""
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        name = _describe(node)
        raise LetterTemplateError(
            f"Templat memakai akses atribut/indeks «{name}»; yang boleh hanya nama isian, mis. "
            f"{{{{ pemohon_nama }}}}.", field=name)
    if isinstance(node, nodes.Call):
        name = _describe(node)
        raise LetterTemplateError(f"Templat memanggil fungsi «{name}»; pemanggilan tidak diizinkan.",
                                  field=name)
    for kind, tag in _TAGS.items():
        if isinstance(node, kind):
            raise LetterTemplateError(f"Perintah {{% {tag} %}} tidak diizinkan dalam templat surat.",
                                      field=tag)
    if not isinstance(node, _ALLOWED_NODES):
        kind = type(node).__name__
        raise LetterTemplateError(
            f"Ungkapan jenis {kind} tidak diizinkan dalam templat surat (hanya isian, saringan "
            f"{', '.join(sorted(SAFE_FILTERS))}, if dan for).", field=kind)
    if isinstance(node, nodes.Name):
        if node.ctx == "load" and node.name not in bound:
            if node.name not in SAFE_FIELDS:
                raise _unknown(node.name)
            used.add(node.name)
        return
    if isinstance(node, nodes.Filter):
        if node.name not in SAFE_FILTERS:
            raise LetterTemplateError(
                f"Saringan «|{node.name}» tidak diizinkan; yang boleh: "
                f"{', '.join(sorted(SAFE_FILTERS))}.", field=node.name)
        if node.dyn_args is not None or node.dyn_kwargs is not None or node.kwargs:
            raise LetterTemplateError(f"Saringan «|{node.name}» hanya boleh diberi teks tetap.",
                                      field=node.name)
        for arg in node.args:
            if not isinstance(arg, nodes.Const):
                raise LetterTemplateError(f"Saringan «|{node.name}» hanya boleh diberi teks tetap.",
                                          field=node.name)
        if node.node is not None:
            _walk(node.node, bound, used)
        return
    if isinstance(node, nodes.For):
        if node.recursive or node.test is not None:
            raise LetterTemplateError("Perulangan {% for %} hanya boleh berbentuk "
                                      "{% for t in tembusan %}.", field="for")
        _walk(node.iter, bound, used)
        targets = {n.name for n in node.target.find_all(nodes.Name)} if not isinstance(node.target, nodes.Name) \
            else {node.target.name}
        if targets & set(SAFE_FIELDS):
            name = sorted(targets & set(SAFE_FIELDS))[0]
            raise LetterTemplateError(f"Nama «{name}» sudah dipakai isian; pilih nama lain untuk "
                                      f"perulangan.", field=name)
        if not isinstance(node.target, nodes.Name):
            raise LetterTemplateError("Perulangan {% for %} hanya boleh memakai satu nama.", field="for")
        inner = bound | targets
        for child in node.body + node.else_:
            _walk(child, inner, used)
        return
    for child in node.iter_child_nodes():
        _walk(child, bound, used)


def _load(docx_bytes: bytes) -> DocxTemplate:
    if not isinstance(docx_bytes, bytes | bytearray) or not docx_bytes:
        raise LetterTemplateError("Templat surat kosong.")
    if len(docx_bytes) > MAX_TEMPLATE_BYTES:
        raise LetterTemplateError("Templat surat terlalu besar (paling besar 5 MB).")
    tpl = DocxTemplate(io.BytesIO(bytes(docx_bytes)))
    try:
        tpl.init_docx()
    except Exception as exc:  # a zip that is not a Word document, a broken part: all the same to staff
        raise LetterTemplateError("Berkas templat bukan dokumen Word (.docx) yang dapat dibaca.") from exc
    return tpl


def _sources(tpl: DocxTemplate) -> list[tuple[str, str]]:
    """Every text docxtpl renders as Jinja, before docxtpl's own rewriting: (where, xml)."""
    out = [("isi surat", tpl.get_xml())]
    for uri, where in ((tpl.HEADER_URI, "kepala halaman"), (tpl.FOOTER_URI, "kaki halaman")):
        for _key, part in tpl.get_headers_footers(uri):
            out.append((where, tpl.get_part_xml(part)))
    for part in tpl.docx.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            out.append(("catatan kaki", part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob))
    props = tpl.docx.core_properties
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):
        out.append(("properti dokumen", getattr(props, prop) or ""))
    return out


def _unknown(name: str) -> LetterTemplateError:
    return LetterTemplateError(
        f"Isian «{name}» tidak dikenal. Isian yang boleh dipakai tercantum di daftar isian surat "
        f"(docs/letters.md).", field=name)


def _check(tpl: DocxTemplate) -> set[str]:
    env = _env()
    used: set[str] = set()
    for where, raw in _sources(tpl):
        # docxtpl rewrites "{{r x}}" into a bare "{{ x }}" without its run: look before it does
        if _RAW_TAG.search(re.sub(r"<[^>]+>", "", raw)):
            raise LetterTemplateError(
                f"Templat ({where}) memakai {{{{r …}}}}/{{{{p …}}}} (XML mentah); tulis isian biasa "
                f"{{{{ nama }}}}.", field="r")
        source = tpl.patch_xml(raw) if where != "properti dokumen" else raw
        try:
            ast = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise LetterTemplateError(
                f"Templat ({where}) tidak dapat dibaca: penulisan isian salah ({exc.message}). "
                f"Periksa tanda {{{{ }}}} dan {{% %}}.", field="") from exc
        _walk(ast, frozenset(), used)
        # the walk allowed only fields, safe filters, if and for: jinja2.meta's free names must
        # then all be fields (a second look with Jinja's own analysis)
        for name in sorted(jinja2.meta.find_undeclared_variables(ast)):
            if name not in SAFE_FIELDS:
                raise _unknown(name)
    return used


def template_check(docx_bytes: bytes) -> set[str]:
    """The fields a letter template uses; ``LetterTemplateError`` naming the first thing refused
    (unknown field, attribute access, call, include/import/extends/macro, unsafe filter)."""
    return _check(_load(docx_bytes))


# --- rendering --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain(value) -> str:
    # Text only: control characters would be invalid XML or, for docxtpl, new paragraphs/pages.
    return _CONTROL.sub("", "" if value is None else str(value))


def _context(fields: dict) -> dict:
    unknown = sorted(set(fields) - set(SAFE_FIELDS))
    if unknown:
        raise LetterTemplateError(f"Isian «{unknown[0]}» tidak dikenal.", field=unknown[0])
    context = {}
    for key, value in fields.items():
        if key in LIST_FIELDS:
            items = [value] if isinstance(value, str) else list(value or [])
            context[key] = [_plain(item) for item in items if _plain(item).strip()]
        else:
            context[key] = _plain(value)
    return context


def letter_render_docx(*, template: bytes, fields: dict) -> bytes:
    """The letter as .docx: the template checked, then filled with ``fields`` (plain text, escaped
    for Word XML) in the sandbox."""
    tpl = _load(template)
    _check(tpl)
    context = _context(fields)
    try:
        tpl.render(context, jinja_env=_env(), autoescape=True)
    except jinja2.TemplateError as exc:  # the sandbox refusing something the check let through
        raise LetterTemplateError("Templat surat tidak dapat diisi.") from exc
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------

_ALIGN = {
    WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER, WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY: TA_JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT: TA_LEFT,
}


def _alignment(paragraph: DocxParagraph):
    value = paragraph.paragraph_format.alignment
    style = paragraph.style
    while value is None and style is not None:
        value = style.paragraph_format.alignment
        style = style.base_style
    return _ALIGN.get(value, TA_LEFT)


def _bold(run, paragraph: DocxParagraph) -> bool:
    """Direct formatting first, then the run's character style, then the paragraph style chain."""
    if run.bold is not None:
        return run.bold
    for style in (run.style, paragraph.style):
        while style is not None:
            if style.font.bold is not None:
                return style.font.bold
            style = style.base_style
    return False


def _markup(paragraph: DocxParagraph) -> str:
    """The paragraph's runs as reportlab markup: text escaped, bold/italic/underline kept."""
    parts = []
    for run in paragraph.runs:
        text = escape(run.text).replace("\t", "&nbsp;" * 4).replace("\n", "<br/>")
        if not text:
            continue
        if _bold(run, paragraph):
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.underline:
            text = f"<u>{text}</u>"
        parts.append(text)
    return "".join(parts)


def _paragraph(paragraph: DocxParagraph, st):
    markup = _markup(paragraph)
    base = st["normal"]
    if not markup.strip():
        return Spacer(1, base.leading * 0.6)
    fmt = paragraph.paragraph_format
    style = ParagraphStyle(
        f"docx-{id(paragraph)}", parent=base, alignment=_alignment(paragraph),
        leftIndent=fmt.left_indent.pt if fmt.left_indent else 0,
        firstLineIndent=fmt.first_line_indent.pt if fmt.first_line_indent else 0,
        spaceAfter=min(fmt.space_after.pt, 12) if fmt.space_after is not None else 2,
    )
    return Paragraph(markup, style)


def _table(table: DocxTable, st, width: float):
    rows, seen = [], set()
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell repeats; print it once (the set keeps the proxies alive)
                cells.append("")
                continue
            seen.add(cell._tc)
            cells.append(docx_body_flowables(cell, st, width=width, stop_at_signature=False) or "")
        rows.append(cells)
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    widths = []
    try:
        widths = [c.width.pt if c.width else None for c in table.columns]
    except Exception:
        widths = []
    if len(widths) == ncols and all(widths):
        scale = min(1.0, width / sum(widths))
        col_widths = [w * scale for w in widths]
    else:
        col_widths = [width / ncols] * ncols
    out = Table(rows, colWidths=col_widths, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    style_name = (table.style.name if table.style is not None else "") or ""
    if "grid" in style_name.lower():
        commands += [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("LEFTPADDING", (0, 0), (-1, -1), 3)]
    out.setStyle(TableStyle(commands))
    indent = _table_indent(table)
    if indent and sum(col_widths) + indent <= width:
        return [Indenter(left=indent), out, Indenter(left=-indent)]
    return [out]


def _table_indent(table: DocxTable) -> float:
    """The table's indent from the margin (w:tblInd, in twentieths of a point), in points."""
    tbl_pr = table._tbl.tblPr
    ind = tbl_pr.find(qn("w:tblInd")) if tbl_pr is not None else None
    if ind is None or ind.get(qn("w:type"), "dxa") != "dxa":
        return 0.0
    try:
        return max(0.0, int(ind.get(qn("w:w"), "0")) / 20)
    except ValueError:
        return 0.0


def docx_body_flowables(document, st, *, width: float | None = None, stop_at_signature: bool = True) -> list:
    """The body of a (rendered) python-docx document, or of a table cell, as reportlab flowables:
    paragraphs with their bold/italic/underlined runs, alignment and indents, and simple tables.
    With ``stop_at_signature`` the first paragraph in the "Tanda Tangan" style and everything
    after it are left out: the PDF prints its own signer block and Tembusan there."""
    width = width or text_width(A4, 20 * mm)
    flow = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            if stop_at_signature and block.style is not None and block.style.name == SIGNATURE_STYLE:
                break
            flow.append(_paragraph(block, st))
        elif isinstance(block, DocxTable):
            flow += _table(block, st, width)
    return flow


def default_signer_block(fields: dict, st, width: float) -> list:
    """The signer's place without an electronic signature: jabatan, room to sign, name, pangkat, NIP,
    at the right half of the page."""
    half = width * 0.5
    center = ParagraphStyle("signer", parent=st["normal"], alignment=TA_CENTER)
    bold = ParagraphStyle("signer-name", parent=center, fontName="Helvetica-Bold")
    cell = []
    for line in _plain(fields.get("penanda_tangan_jabatan")).split("\n"):
        if line.strip():
            cell.append(para(line, center))
    cell.append(Spacer(1, 18 * mm))
    cell.append(para(fields.get("penanda_tangan_nama") or "", bold))
    for key, prefix in (("penanda_tangan_pangkat", ""), ("penanda_tangan_nip", "NIP. ")):
        if fields.get(key):
            cell.append(para(f"{prefix}{fields[key]}", center))
    table = Table([["", cell]], colWidths=[width - half, half])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 4 * mm), table]


def _tembusan(items: list[str], st) -> list:
    if not items:
        return []
    flow = [Spacer(1, 6 * mm), para("Tembusan:", st["normal"])]
    style = ParagraphStyle("tembusan", parent=st["normal"], leftIndent=12, firstLineIndent=-12)
    flow += [para(f"{n}. {item}", style) for n, item in enumerate(items, 1)]
    return flow


def letter_render_pdf(*, template: bytes, fields: dict, office, signer_block=None, paper: str = "A4",
                      title: str = "") -> bytes:
    """The letter as PDF on A4 or F4 (215 × 330 mm): the kop, the template's body (up to its
    "Tanda Tangan" paragraph), ``signer_block`` (flowables, or a callable ``(st, width)`` giving
    them; None prints the signer's name from ``fields``), then the Tembusan list."""
    if paper not in PAPERS:
        raise LetterTemplateError(f"Ukuran kertas «{paper}» tidak dikenal; pilih A4 atau F4.", field="paper")
    rendered = letter_render_docx(template=template, fields=fields)
    document = docx.Document(io.BytesIO(rendered))
    pagesize = PAPERS[paper]
    margin = 20 * mm
    width = text_width(pagesize, margin)
    st = styles(10)
    flow = list(letterhead(office, st, width))
    flow += docx_body_flowables(document, st, width=width)
    if signer_block is None:
        flow += default_signer_block(fields, st, width)
    elif callable(signer_block):
        flow += list(signer_block(st, width))
    else:
        flow += list(signer_block)
    flow += _tembusan(_context(fields).get("tembusan", []), st)
    return build(pagesize, margin, flow, title=title or _plain(fields.get("hal")) or "Surat", office=office)


# --- bundled templates --------------------------------------------------------------------------

def bundled_template(code: str) -> bytes:
    """The .docx of a bundled letter (``BUNDLED``), as shipped in loket/papers/letter_templates/."""
    if code not in BUNDLED:
        raise LetterTemplateError(f"Templat surat «{code}» tidak ada.", field=code)
    return resources.files("loket.papers").joinpath(TEMPLATE_DIR, f"{code}.docx").read_bytes()


def office_fields(office) -> dict:
    """The office's part of a letter's fields: kantor_nama, kantor_alamat, kota, tempat."""
    city = office.city or ""
    place = re.sub(r"^(Kota|Kabupaten|Kab\.)\s+", "", city).strip()
    return {"kantor_nama": office.name, "kantor_alamat": office.address or "", "kota": city, "tempat": place}


def letter_defaults(code: str, *, office) -> dict:
    """A bundled letter's default fields (sifat, hal, kepada, di, tembusan, klasifikasi) with the
    office's name and city filled in, plus ``office_fields``: the clerk's form starts from these."""
    if code not in BUNDLED:
        raise LetterTemplateError(f"Templat surat «{code}» tidak ada.", field=code)
    spec = BUNDLED[code]
    names = {"{kantor}": office.name, "{kota}": office.city or ""}

    def fill(text: str) -> str:
        for key, value in names.items():
            text = text.replace(key, value)
        return text.strip()

    out = office_fields(office)
    out.update({
        "sifat": spec["sifat"], "hal": spec["hal"], "klasifikasi": spec["klasifikasi"],
        "kepada": fill(spec["kepada"]), "di": fill(spec["di"]),
        "tembusan": [fill(t) for t in spec["tembusan"]],
    })
    return out
