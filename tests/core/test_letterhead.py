"""The official kop and the signature block, read back from rendered PDFs with pypdf."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from loket.core.pdf import build, header, letterhead, signature_block, styles, text_width
from loket.offices.models import ActingAppointment, Office, Staff
from loket.offices.signers import Signer, signer_for
from tests.support.pdf import text_of

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def paper(office, signer=None, **kw) -> bytes:
    st = styles(10)
    width = text_width(A4, 18 * mm)
    flow = letterhead(office, st, width) + [Spacer(1, 10)]
    if signer is not None:
        flow += signature_block(signer, place="Madiun", on=DAY, st=st, width=width / 2, **kw)
    return build(A4, 18 * mm, flow, title="Uji", office=office)


@pytest.fixture
def kop_office(office):
    Office.objects.filter(pk=office.pk).update(government="Pemerintah Kota Contoh", postal_code="63117",
                                               address="Jl. Contoh No. 1", email="kec@contoh.go.id")
    office.refresh_from_db()
    return office


def test_the_kop_has_government_office_address_postal_code_and_contacts(kop_office):
    text = text_of(paper(kop_office))
    for part in ["PEMERINTAH KOTA CONTOH", "KECAMATAN CONTOH", "Jl. Contoh No. 1, Kota Contoh 63117",
                 "Telp. (0351) 1", "Email: kec@contoh.go.id"]:
        assert part in text, part
    assert "LOGO" in text  # no emblem uploaded: the neutral placeholder, not an emblem


def test_an_uploaded_emblem_is_drawn_as_an_image_instead_of_the_placeholder(kop_office):
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (0, 120, 0)).save(buf, format="PNG")
    kop_office.emblem.save("lambang.png", ContentFile(buf.getvalue()), save=True)
    pdf = paper(kop_office)
    assert "LOGO" not in text_of(pdf)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1


def test_the_compact_header_carries_the_government_line_too(kop_office):
    st = styles(8)
    pdf = build(A4, 18 * mm, header(kop_office, st), title="Uji", office=kop_office)
    assert "PEMERINTAH KOTA CONTOH" in text_of(pdf)


def test_the_camats_signature_has_place_date_title_name_rank_and_nip(kop_office, people):
    text = text_of(paper(kop_office, signer_for(office=kop_office, post="camat", on=DAY)))
    for part in ["Madiun, 10 Maret 2026", "CAMAT CONTOH", "Budi", "Pembina", "NIP. 19700101 199001 1 001"]:
        assert part in text, part


def test_the_sekcam_signs_a_n_camat_with_own_nip(kop_office, people):
    Staff.objects.filter(user=people["sekcam"]).update(full_name="Dra. SITI AMINAH, M.Si.", nip="197202021995032002")
    text = text_of(paper(kop_office, signer_for(office=kop_office, post="sekcam", on=DAY)))
    assert "a.n. CAMAT CONTOH Sekretaris Kecamatan" in text
    assert "Dra. SITI AMINAH, M.Si." in text and "NIP. 19720202 199503 2 002" in text


def test_a_plt_is_printed(kop_office, people):
    Staff.objects.filter(user=people["sekcam"]).update(full_name="Dra. SITI AMINAH, M.Si.")
    ActingAppointment.objects.create(office=kop_office, post="camat", user=people["sekcam"], kind="plt",
                                     decree_number="800/1/2026", decree_date=DAY, starts=DAY)
    text = text_of(paper(kop_office, signer_for(office=kop_office, post="camat", on=DAY)))
    assert "Plt. CAMAT CONTOH" in text and "Dra. SITI AMINAH, M.Si." in text


def test_electronic_and_demo_notes_and_an_unknown_signer_gets_dotted_lines(kop_office):
    nobody = Signer(user=None, name="", nip="", rank="", position="Bendahara Penerimaan",
                    title_lines=["Bendahara Penerimaan"])
    text = text_of(paper(kop_office, nobody, electronic=True))
    assert "Ditandatangani secara elektronik" in text and "NIP. ....." in text and "(....." in text
    assert "DEMO — bukan sertifikat resmi" in text_of(paper(kop_office, nobody, demo=True))


def test_bad_identity_data_is_refused_in_indonesian(kop_office):
    kop_office.letter_number_format = "{nomor}/{seksi}"
    kop_office.emblem = ContentFile(b"not an image", name="lambang.png")
    with pytest.raises(ValidationError) as err:
        kop_office.full_clean()
    errors = err.value.message_dict
    assert "{seksi}" in " ".join(errors["letter_number_format"])
    assert "emblem" in errors


def test_a_bad_nip_is_refused_on_the_staff_record(kop_office, people):
    staff = Staff.objects.get(user=people["sekcam"])
    staff.nip = "12345"
    with pytest.raises(ValidationError) as err:
        staff.full_clean()
    assert "18 angka" in " ".join(err.value.message_dict["nip"])
