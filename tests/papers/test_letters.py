"""Letters from Word templates: what a template may contain, and that a citizen's data stays text."""

import io
import pathlib

import docx
import pypdf
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm

from loket.core.errors import InvalidInput
from loket.core.pdf import para, styles
from loket.papers import letters
from loket.papers.letters import (
    BUNDLED, SAFE_FIELDS, LetterTemplateError, bundled_template, docx_body_flowables, letter_defaults,
    letter_render_docx, letter_render_pdf, template_check,
)

INJECTION = "{{7*7}} <w:t>x</w:t> {% include 'a' %}"


def make_docx(*paragraphs: str, header: str = "", title: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if title:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def signer_fields(**over) -> dict:
    fields = {
        "nomor": "300/7/401.301/2026", "tanggal": "6 Desember 2026", "tempat": "Madiun",
        "pemohon_nama": "Siti Aminah", "pemohon_nik": "3577014101900001", "pemohon_alamat": "Jl. Mawar 3",
        "kegiatan": "Resepsi pernikahan", "waktu_kegiatan": "Sabtu, 12 Desember 2026",
        "penanda_tangan_jabatan": "a.n. CAMAT\nSekretaris Kecamatan", "penanda_tangan_nama": "Budi Santoso",
        "penanda_tangan_nip": "197001011990031001",
    }
    fields.update(over)
    return fields


# --- template_check -------------------------------------------------------------------------------

def test_known_fields_filters_if_and_for_pass_and_are_listed():
    used = template_check(make_docx(
        "Nama: {{ pemohon_nama|upper }} {{ lampiran|default('-') }}",
        "{% if sifat %}Sifat {{ sifat|title }}{% endif %}",
        "{%p for t in tembusan %}", "{{ t }}", "{%p endfor %}",
    ))
    assert used == {"pemohon_nama", "lampiran", "sifat", "tembusan"}


def test_unknown_field_is_refused_with_its_name():
    with pytest.raises(LetterTemplateError) as caught:
        template_check(make_docx("Yth. {{ kepada }}", "Ibu kandung: {{ nama_ibu }}"))
    assert caught.value.field == "nama_ibu"
    assert "nama_ibu" in str(caught.value)
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize("placeholder, named", [
    ("{{ pemohon_nama.__class__ }}", "pemohon_nama.__class__"),
    ("{{ pemohon_nama.upper() }}", "pemohon_nama.upper(…)"),
    ("{{ pemohon_nama['x'] }}", "pemohon_nama[…]"),
    ("{{ kepada|attr('x') }}", "attr"),
    ("{{ pemohon_nama|safe }}", "safe"),
    ("{% include 'lain.docx' %}", "include"),
    ("{% import 'lain' as x %}", "import"),
    ("{% extends 'lain' %}", "extends"),
    ("{% macro m() %}x{% endmacro %}", "macro"),
    ("{% set hal = 'x' %}", "set"),
    ("{{ lipsum() }}", "lipsum(…)"),
    ("{{ 7*7 }}", "Mul"),
    ("{% autoescape false %}{{ hal }}{% endautoescape %}", "autoescape"),
    ("{{ hal|default(pemohon_nik) }}", "default"),
    ("{{r pemohon_nama }}", "r"),
    ("{{p pemohon_nama }}", "r"),
    ("{{tc pemohon_nama }}", "r"),
])
def test_attribute_access_calls_includes_and_unsafe_filters_are_refused(placeholder, named):
    with pytest.raises(LetterTemplateError) as caught:
        template_check(make_docx("Hal: {{ hal }}", placeholder))
    assert caught.value.field == named


def test_header_and_document_properties_are_checked_too():
    with pytest.raises(LetterTemplateError) as caught:
        template_check(make_docx("{{ hal }}", header="{{ kata_sandi }}"))
    assert caught.value.field == "kata_sandi"
    with pytest.raises(LetterTemplateError) as caught:
        template_check(make_docx("{{ hal }}", title="{{ hal.__init__ }}"))
    assert caught.value.field == "hal.__init__"


def test_broken_syntax_and_non_docx_are_refused():
    with pytest.raises(LetterTemplateError, match="tidak dapat dibaca"):
        template_check(make_docx("{{ hal "))
    with pytest.raises(LetterTemplateError, match="bukan dokumen Word"):
        template_check(b"PK\x03\x04 bukan docx")


def test_a_for_loop_name_may_not_shadow_a_field():
    with pytest.raises(LetterTemplateError) as caught:
        template_check(make_docx("{% for hal in tembusan %}{{ hal }}{% endfor %}"))
    assert caught.value.field == "hal"


# --- rendering --------------------------------------------------------------------------------------

def test_injection_in_a_citizens_name_stays_literal_text_in_the_docx():
    out = letter_render_docx(template=make_docx("Nama: {{ pemohon_nama }}", "Hal: {{ hal }}"),
                             fields={"pemohon_nama": INJECTION, "hal": "Uji"})
    document = docx.Document(io.BytesIO(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == f"Nama: {INJECTION}"
    assert texts[1] == "Hal: Uji"
    assert len(document.paragraphs) == 2  # no paragraph or run smuggled in


def test_values_are_text_only_and_unknown_values_are_refused():
    out = letter_render_docx(template=make_docx("{{ hal }}"), fields={"hal": "a\x07b\x0cc"})
    assert [p.text for p in docx.Document(io.BytesIO(out)).paragraphs] == ["abc"]
    with pytest.raises(LetterTemplateError) as caught:
        letter_render_docx(template=make_docx("{{ hal }}"), fields={"hal": "x", "ibu": "y"})
    assert caught.value.field == "ibu"


def test_rendering_checks_the_template_first():
    with pytest.raises(LetterTemplateError):
        letter_render_docx(template=make_docx("{{ hal.__class__.__mro__ }}"), fields={"hal": "x"})


def test_tembusan_loop_renders_one_paragraph_per_item():
    template = make_docx("Tembusan:", "{%p for t in tembusan %}", "{{ t }}", "{%p endfor %}")
    out = letter_render_docx(template=template, fields={"tembusan": ["Lurah", "Arsip"]})
    assert [p.text for p in docx.Document(io.BytesIO(out)).paragraphs] == ["Tembusan:", "Lurah", "Arsip"]


def test_body_flowables_keep_bold_runs_and_alignment():
    document = docx.Document()
    p = document.add_paragraph("Hal: ")
    p.add_run("Rekomendasi").bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("<b>bukan tebal</b>")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Nama", "Siti"
    flow = docx_body_flowables(document, styles(10), width=150 * mm)
    assert "<b>Rekomendasi</b>" in flow[0].text
    assert flow[0].style.alignment == TA_CENTER
    assert "&lt;b&gt;" in flow[1].text
    assert [f.__class__.__name__ for f in flow[2:]] == ["Table"]


@pytest.mark.django_db
def test_injection_stays_literal_in_the_pdf(office):
    template = make_docx("Nama: {{ pemohon_nama }}")
    out = letter_render_pdf(template=template, fields={"pemohon_nama": INJECTION}, office=office,
                            signer_block=[])
    text = pdf_text(out)
    assert "{{7*7}}" in text and "<w:t>x</w:t>" in text and "49" not in text


@pytest.mark.django_db
def test_signer_block_replaces_the_templates_signature_part(office):
    template = bundled_template("rekomendasi-umum")
    fields = signer_fields(tembusan=["Arsip"])
    with_tte = pdf_text(letter_render_pdf(template=template, fields=fields, office=office,
                                          signer_block=lambda st, width: [para("TTE-QR-DI-SINI", st["normal"])]))
    assert "TTE-QR-DI-SINI" in with_tte
    assert "Budi Santoso" not in with_tte  # the template's own signature part is left out
    assert with_tte.count("Tembusan") == 1
    listed = pdf_text(letter_render_pdf(template=template, fields=fields, office=office,
                                        signer_block=[para("BLOK-LIST", styles()["normal"])]))
    assert "BLOK-LIST" in listed
    default = pdf_text(letter_render_pdf(template=template, fields=fields, office=office))
    assert "Budi Santoso" in default and "NIP. 197001011990031001" in default


@pytest.mark.django_db
def test_unknown_paper_is_refused(office):
    with pytest.raises(LetterTemplateError, match="A4 atau F4"):
        letter_render_pdf(template=make_docx("x"), fields={}, office=office, paper="Letter")


# --- bundled templates --------------------------------------------------------------------------------

def test_bundled_templates_name_real_services_and_safe_fields():
    standard = yaml.safe_load((pathlib.Path(letters.__file__).parent.parent / "catalog" / "standards"
                               / "kartoharjo-2018.yaml").read_text())
    services = {s["code"] for s in standard["services"]}
    for code, spec in BUNDLED.items():
        assert spec["service"] in services, code
        assert template_check(bundled_template(code)) <= set(SAFE_FIELDS)
    with pytest.raises(LetterTemplateError):
        bundled_template("../settings")


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(BUNDLED))
@pytest.mark.parametrize("paper, size_mm", [("A4", (210, 297)), ("F4", (215, 330))])
def test_each_bundled_template_renders_to_pdf(office, code, paper, size_mm):
    fields = letter_defaults(code, office=office)
    fields.update(signer_fields())
    out = letter_render_pdf(template=bundled_template(code), fields=fields, office=office, paper=paper)
    reader = pypdf.PdfReader(io.BytesIO(out))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == size_mm
    text = pdf_text(out)
    assert office.name.upper() in text  # the kop
    assert "300/7/401.301/2026" in text
    assert BUNDLED[code]["hal"] in text
    assert "Tembusan:" in text and "Arsip" in text
    assert "{{" not in text and "{%" not in text


@pytest.mark.django_db
def test_letter_defaults_fill_in_the_office(office):
    fields = letter_defaults("pengantar-penelitian", office=office)
    assert fields["kepada"] == f"Lurah se-{office.name}"
    assert fields["kantor_nama"] == office.name
    assert "{kota}" not in " ".join(fields["tembusan"])


def test_docs_list_every_safe_field():
    doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "letters.md").read_text()
    missing = [name for name in SAFE_FIELDS if f"| `{name}` |" not in doc]
    assert missing == []
