"""The product of a service as an issued paper (papers/products.py): the legalisation issued
when a signed dossier is registered, the letter a signed dossier produces from its template,
and where they show (the dossier page, the API, the verification page, the agenda)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from loket.core.errors import InvalidInput, WrongState
from loket.dossiers import services
from loket.dossiers.models import Dossier
from loket.offices.models import Staff
from loket.papers import letters, products
from loket.papers.models import Document
from loket.registers.models import RegisterBook, RegisterEntry
from tests.factories import applicant_data
from tests.support.dossier_rules import dossier_in

S = Dossier.State


def text_of(document: Document) -> str:
    return "".join(p.extract_text() for p in PdfReader(document.pdf.open("rb")).pages)


@pytest.fixture
def named(office, people):
    """The Camat and the Sekcam with their printed names, ranks and NIPs (offices identity)."""
    Staff.objects.filter(user=people["camat"]).update(full_name="Drs. Agus Wibowo, M.Si.", rank="Pembina Tingkat I (IV/b)",
                                                      nip="190001011900011001")
    Staff.objects.filter(user=people["sekcam"]).update(full_name="Siti Rahayu, S.Sos.", rank="Penata Tingkat I (III/d)",
                                                       nip="190001011900012002")
    return people


def registered(office, people, all_items, signer="camat", **applicant):
    d = dossier_in(S.SIGNED, office=office, people=people, items=all_items,
                   applicant=applicant_data(**applicant) if applicant else None) if signer == "camat" else None
    if d is None:
        d = dossier_in(S.INITIALLED, office=office, people=people, items=all_items)
        services.dossier_sign(code=d.code, actor=people["sekcam"])
    return services.dossier_register(code=d.code, actor=people["front"], public_base="https://loket.example")


def test_registering_a_legalised_service_issues_its_legalisation(office, named, all_items):
    d = registered(office, named, all_items)
    doc = Document.objects.get(reference=d.code)
    assert doc.kind == "legalisasi" and doc.verification_code == d.verification_code
    assert doc.agenda_entry.book.kind == RegisterBook.Kind.SURAT_KELUAR and doc.agenda_entry.number == 1
    text = text_of(doc)
    for expected in ["Mengetahui / Dilegalisasi oleh:", doc.number, "Drs. Agus Wibowo, M.Si.", "NIP. 19000101 190001 1 001",
                     "Pembina Tingkat I (IV/b)"]:
        assert expected in text, expected
    assert doc.signer_id == named["camat"].pk and doc.signer_name == "Drs. Agus Wibowo, M.Si."


def test_the_sekcam_signs_on_behalf_of_the_camat_in_his_own_name(office, named, all_items):
    d = registered(office, named, all_items, signer="sekcam")
    doc = Document.objects.get(reference=d.code)
    text = text_of(doc)
    assert "a.n. CAMAT" in text and "Sekretaris Kecamatan" in text
    assert "Siti Rahayu, S.Sos." in text and "NIP. 19000101 190001 2 002" in text
    assert "Agus Wibowo" not in text


def test_a_later_change_of_name_leaves_the_issued_paper_as_it_was(office, named, all_items):
    d = registered(office, named, all_items)
    Staff.objects.filter(user=named["camat"]).update(full_name="Orang Lain, S.H.", nip="190001011900011009")
    doc = Document.objects.get(reference=d.code)
    assert doc.signer_name == "Drs. Agus Wibowo, M.Si."
    assert "Drs. Agus Wibowo" in "".join(products.endorsement_of(doc).signer_name)


def test_the_dossier_page_and_the_api_list_the_document(client, office, named, all_items):
    d = registered(office, named, all_items)
    doc = Document.objects.get(reference=d.code)
    client.force_login(named["front"])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert doc.number in page and reverse("papers:download", args=[doc.pk]) in page
    pdf = client.get(reverse("papers:download", args=[doc.pk]))
    assert pdf.status_code == 200 and pdf.content == doc.pdf.open("rb").read()
    f4 = client.get(reverse("papers:print", args=[doc.pk]) + "?kertas=F4&posisi=bawah")
    page0 = PdfReader(io.BytesIO(f4.content)).pages[0]
    assert round(float(page0.mediabox.height) / 72 * 25.4) == 330 and doc.number in page0.extract_text()
    assert client.get(reverse("papers:print", args=[doc.pk]) + "?kertas=Letter").status_code == 404


def test_the_api_returns_documents(client, office, named, all_items):
    from loket.api.services import token_issue

    d = registered(office, named, all_items)
    doc = Document.objects.get(reference=d.code)
    _, raw = token_issue(actor=named["admin"], owner=named["front"], label="t")
    r = client.get(f"/api/v1/dossiers/{d.code}/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200, r.content
    assert r.json()["documents"] == [{
        "kind": "legalisasi", "title": doc.title, "number": doc.number, "issued_at": r.json()["documents"][0]["issued_at"],
        "url": reverse("papers:download", args=[doc.pk]), "verify_url": reverse("verify_detail", args=[doc.verification_code]),
        "sha256": doc.sha256, "signed": False,
    }]


# --- letters --------------------------------------------------------------------------------

@pytest.fixture
def letter_service(monkeypatch):
    """The mini standard's one service writes the general recommendation letter, as service 15
    does in the bundled standard."""
    monkeypatch.setitem(letters.BUNDLED, "rekomendasi-umum", letters.BUNDLED["rekomendasi-umum"] | {"service": "pindah"})
    return "rekomendasi-umum"


def fields_for(office, code, **over):
    form = products.letter_form_fields(office=office, code=code)
    typed = {f["name"]: f["default"] or f"isi {f['name']}" for f in form}
    return typed | over


def test_a_letter_is_numbered_with_kop_signer_and_tembusan(office, named, all_items, letter_service):
    d = dossier_in(S.SIGNED, office=office, people=named, items=all_items, applicant=applicant_data(name="Budi {{7*7}}"))
    typed = fields_for(office, letter_service, kepada="Kepala Dinas Kependudukan", tembusan="Lurah Satu\nArsip")
    doc = products.letter_issue(dossier=d, actor=named["front"], template_code=letter_service, fields=typed,
                                public_base="https://loket.example")
    assert doc.kind == "surat" and doc.template == letter_service and doc.addressee == "Kepala Dinas Kependudukan"
    text = text_of(doc)
    for expected in [office.name.upper(), doc.number, "Drs. Agus Wibowo, M.Si.", "NIP. 19000101 190001 1 001",
                     "Tembusan", "Lurah Satu", "Budi {{7*7}}", "Kode verifikasi"]:
        assert expected in text, expected
    assert "49" not in text.split("Budi")[1][:8]
    with pytest.raises(WrongState, match="sudah diterbitkan"):
        products.letter_issue(dossier=d, actor=named["front"], template_code=letter_service, fields=typed)


def test_a_letter_with_a_required_field_empty_is_refused_and_takes_no_number(office, named, all_items, letter_service):
    d = dossier_in(S.SIGNED, office=office, people=named, items=all_items)
    required = next(f["name"] for f in products.letter_form_fields(office=office, code=letter_service) if f["required"])
    with pytest.raises(InvalidInput) as exc:
        products.letter_issue(dossier=d, actor=named["front"], template_code=letter_service,
                              fields=fields_for(office, letter_service, **{required: "  "}))
    assert required in exc.value.errors
    assert not Document.objects.exists()
    assert not RegisterEntry.objects.filter(book__kind=RegisterBook.Kind.SURAT_KELUAR).exists()


def test_who_may_write_a_letter_and_when(office, named, all_items, letter_service):
    """dossiers.policy.LETTER: the front office or the Kasi of the unit, once signed."""
    d = dossier_in(S.INITIALLED, office=office, people=named, items=all_items)
    write = lambda who, **kw: services.dossier_letter(code=d.code, actor=named[who], template=kw.get("template", letter_service),  # noqa: E731
                                                       fields=fields_for(office, letter_service))
    with pytest.raises(WrongState):
        write("front")
    services.dossier_sign(code=d.code, actor=named["camat"])
    for who in ["kasi_other", "bendahara", "admin", "camat"]:
        with pytest.raises(PermissionDenied, match="hanya untuk"):
            write(who)
    with pytest.raises(InvalidInput, match="bukan untuk layanan ini"):
        write("front", template="pengantar-penelitian")
    assert not Document.objects.filter(kind="surat").exists()
    assert write("kasi").kind == "surat"


def test_the_letter_screen(client, office, named, all_items, letter_service):
    d = dossier_in(S.SIGNED, office=office, people=named, items=all_items)
    client.force_login(named["front"])
    detail = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    url = reverse("dossiers:letter", args=[d.code, letter_service])
    assert url in detail
    assert client.get(url).status_code == 200
    bad = client.post(url, {"kertas": "A4"})
    assert bad.status_code == 400 and "wajib diisi" in bad.content.decode()
    ok = client.post(url, fields_for(office, letter_service) | {"kertas": "F4"})
    doc = Document.objects.get(reference=d.code, kind="surat")
    assert ok.status_code == 302 and ok["Location"] == reverse("papers:document", args=[doc.pk])
    page0 = PdfReader(doc.pdf.open("rb")).pages[0]
    assert round(float(page0.mediabox.height) / 72 * 25.4) == 330
    assert url not in client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
