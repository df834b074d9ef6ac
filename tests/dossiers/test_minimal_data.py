"""Data minimisation at the counter (issue 19 item 2; UU 27/2022 Pasal 16 ayat (2) huruf a:
collection limited and specific to the purpose). The applicant's telephone/WhatsApp is not a
requirement of the standard: it is asked only of a citizen who wants to be contacted, like the
KK number and the marital status before it. Left empty, every intake (service, form, API) goes
through and every reader (dossier page, receipt, register book, corrections, the returning
citizen's prefill) shows it sensibly; typed, it is checked exactly as before."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from loket.core.errors import InvalidInput
from loket.dossiers import selectors, services
from loket.dossiers.forms import CorrectionForm, IntakeForm
from loket.dossiers.models import Applicant, Correction, Dossier
from tests.factories import applicant_data
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.forms import intake_form, intake_payload
from tests.support.pdf import text_of

S = Dossier.State
BAD = "Nomor telepon tidak valid; contoh 081234567890."
PHONE = "081299998888"
REASON = "Pemohon ingin dikabari bila berkas siap diambil."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _intake(office, people, items, **applicant) -> Dossier:
    return services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(**applicant),
                                   actor=people["front"], present=items, originals=items)


def _no_phone(**over) -> dict:
    data = applicant_data(**over)
    del data["phone"]
    return data


def _phone_shown(page: str) -> str:
    """What the dossier page shows under "Telepon/WA"."""
    return re.search(r"<dt>Telepon/WA</dt><dd>(.*?)</dd>", page, re.S).group(1)


def _registered(d: Dossier, people) -> Dossier:
    for fn, who in [(services.dossier_forward, "front"), (services.dossier_initial, "kasi"),
                    (services.dossier_sign, "camat"), (services.dossier_register, "front")]:
        d = fn(code=d.code, actor=people[who])
    return d


# --- the service ---------------------------------------------------------------------------------

@pytest.mark.parametrize("given", [None, "", "   "], ids=["absent", "empty", "blank"])
def test_an_intake_without_a_phone_goes_through(office, people, all_items, given):
    applicant = _no_phone() if given is None else applicant_data(phone=given)
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant, actor=people["front"],
                                present=all_items, originals=all_items)
    assert (d.state, d.applicant_phone) == (S.RECEIVED, "")
    assert Applicant.objects.get().phone == ""


@pytest.mark.parametrize("typed, stored", [("081234567890", "081234567890"), ("0812 3456 7890", "081234567890"),
                                           ("+62 812-3456-7890", "+6281234567890"), ("0351456789", "0351456789")])
def test_a_typed_phone_is_cleaned_as_before(office, typed, stored):
    assert services.applicant_clean(office=office, data=applicant_data(phone=typed))["phone"] == stored


@pytest.mark.parametrize("typed", [
    "12", "0899-1234-5678-9012",  # too short, 16 digits
    "1234567890",  # not an Indonesian number (0…, 62…, +62…)
    "-", "+", "tidak ada",  # something typed that holds no number: refused, never silently dropped
])
def test_a_bad_phone_is_still_refused_and_nothing_is_saved(office, people, all_items, typed):
    with pytest.raises(InvalidInput) as exc:
        _intake(office, people, all_items, phone=typed)
    assert exc.value.errors == {"phone": [BAD]}
    assert not Dossier.objects.exists() and not Applicant.objects.exists()


# --- the form page -------------------------------------------------------------------------------

def test_the_form_says_the_phone_may_stay_empty(client, office, people):
    label = "Telepon/WhatsApp (boleh kosong, bila ingin dihubungi)"
    assert IntakeForm(office=office).fields["phone"].label == label
    assert CorrectionForm(office=office).fields["phone"].label == label
    client.force_login(people["front"])
    page = client.get("/staf/berkas/baru/?layanan=pindah").content.decode()
    field = re.search(r'<input[^>]*name="phone"[^>]*>', page).group(0)
    assert label in page and "required" not in field


def test_the_form_page_takes_in_a_dossier_without_a_phone(client, office, people, all_items):
    client.force_login(people["front"])
    r = client.post("/staf/berkas/baru/", intake_form(all_items, phone=""))
    assert r.status_code == 302, r.content.decode()[:500]
    d = Dossier.objects.get()
    assert (d.state, d.applicant_phone) == (S.RECEIVED, "")
    page = client.get(r["Location"]).content.decode()
    assert _phone_shown(page) == "—" and "None" not in page


def test_the_form_page_refuses_a_bad_phone_at_its_field(client, office, people, all_items):
    client.force_login(people["front"])
    r = client.post("/staf/berkas/baru/", intake_form(all_items, phone="0812"))
    assert r.status_code == 400
    assert f'<p class="error" id="id_phone-error">{BAD}</p>' in r.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("role", ["front", "bendahara"])  # the full number, and the masked one
def test_the_dossier_page_shows_a_dash_for_an_empty_phone_to_every_role(client, office, people, all_items, role):
    empty = _intake(office, people, all_items, phone="")
    given = _intake(office, people, all_items, nik="3577011203850003", name="Budi Santoso", sex="L",
                    birth_date=None)
    client.force_login(people[role])
    assert _phone_shown(client.get(reverse("dossiers:detail", args=[empty.code])).content.decode()) == "—"
    shown = _phone_shown(client.get(reverse("dossiers:detail", args=[given.code])).content.decode())
    assert shown == ("081234567890" if role == "front" else "0812******90")


# --- the papers and the register book ------------------------------------------------------------

def test_receipt_and_register_book_of_a_dossier_without_a_phone(client, office, people, all_items):
    d = _intake(office, people, all_items, phone="")
    client.force_login(people["front"])
    r = client.get(reverse("dossiers:paper", args=[d.code, "tanda-terima"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    receipt = text_of(r.content)
    assert "S*** A*****" in receipt and "None" not in receipt

    d = _registered(d, people)
    d = services.dossier_handover(code=d.code, actor=people["front"])
    label = client.get(reverse("dossiers:paper", args=[d.code, "stempel-verifikasi"]))
    assert label.status_code == 200
    page = client.get(reverse("registers:book")).content.decode()
    assert "Siti Aminah" in page and d.register_entry.number_display in page and "None" not in page
    year = str(timezone.localdate(d.register_entry.entered_at).year)
    xlsx = client.get(reverse("registers:export_xlsx"), {"tahun": year})
    values = [v for row in openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming
                                                             else xlsx.content)).active.iter_rows(values_only=True)
              for v in row if v is not None]
    assert "Siti Aminah" in values and "None" not in map(str, values)
    pdf = client.get(reverse("registers:export_pdf"), {"tahun": year})
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert pdf.status_code == 200 and "Siti Aminah" in text_of(body) and "None" not in text_of(body)


# --- the API -------------------------------------------------------------------------------------

def test_the_api_takes_in_a_dossier_without_a_phone(client, office, people, all_items, token):
    body = intake_payload(all_items)
    del body["applicant"]["phone"]  # the key may be left out (default "")
    r = client.post("/api/v1/dossiers/", body, content_type="application/json", **token("front"))
    assert r.status_code == 201, r.content
    assert Dossier.objects.get(code=r.json()["code"]).applicant_phone == ""
    body = intake_payload(all_items, applicant={**intake_payload(all_items)["applicant"], "phone": "",
                                                "nik": "3577011203850003", "name": "Budi", "sex": "L",
                                                "birth_date": ""})
    r = client.post("/api/v1/dossiers/", body, content_type="application/json", **token("front"))
    assert r.status_code == 201, r.content


def test_the_api_refuses_a_bad_phone_and_saves_nothing(client, office, people, all_items, token):
    body = intake_payload(all_items)
    body["applicant"]["phone"] = "-"
    r = client.post("/api/v1/dossiers/", body, content_type="application/json", **token("front"))
    assert r.status_code == 400 and r.json()["errors"] == {"phone": [BAD]}
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_the_schema_documents_the_phone_as_optional(client):
    schema = client.get("/api/v1/schema/").json()["components"]["schemas"]["ApplicantIn"]
    # the phone, the KK number and the marital status may be left out (UU 27/2022: only what is needed)
    assert not {"phone", "kk_number", "marital_status"} & set(schema["required"])
    assert schema["properties"]["phone"]["default"] == ""
    assert "boleh kosong" in schema["properties"]["phone"]["description"]


# --- corrections ---------------------------------------------------------------------------------

def test_a_correction_from_empty_to_a_number_and_back(client, office, people, all_items, token):
    d = _intake(office, people, all_items, phone="")
    d = services.dossier_correct(code=d.code, actor=people["front"], changes={"phone": "0812 9999 8888"}, reason=REASON)
    assert d.applicant_phone == PHONE
    d = services.dossier_correct(code=d.code, actor=people["front"], changes={"phone": ""},
                                 reason="Pemohon tidak ingin dihubungi.")
    assert d.applicant_phone == ""
    assert list(Correction.objects.values_list("field", "old_value", "new_value")) == [
        ("phone", "", PHONE), ("phone", PHONE, "")]
    # a bad number is refused on the way, and changes nothing
    with pytest.raises(InvalidInput) as exc:
        services.dossier_correct(code=d.code, actor=people["front"], changes={"phone": "12"}, reason=REASON)
    assert exc.value.errors == {"phone": [BAD]} and Correction.objects.count() == 2

    d = Dossier.objects.prefetch_related("corrections__actor").get(pk=d.pk)
    full = [(r["old"], r["new"]) for r in selectors.correction_rows(d, full_nik=True)]
    masked = [(r["old"], r["new"]) for r in selectors.correction_rows(d, full_nik=False)]
    assert full == [("—", PHONE), (PHONE, "—")]
    assert masked == [("—", "0812******88"), ("0812******88", "—")]
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert f"Telepon/WhatsApp: — → {PHONE}" in page and f"Telepon/WhatsApp: {PHONE} → —" in page
    assert _phone_shown(page) == "—"
    api = client.get(f"/api/v1/dossiers/{d.code}/", **token("bendahara")).json()["corrections"]
    assert [(c["old"], c["new"]) for c in api] == masked


def test_corrections_through_the_screen_and_the_api(client, office, people, all_items, token):
    d = _intake(office, people, all_items)
    client.force_login(people["front"])
    form = services.snapshot_of(d)
    form.update(birth_date=form["birth_date"].isoformat(), phone="", reason="Pemohon tidak ingin dihubungi.")
    r = client.post(reverse("dossiers:act", args=[d.code, "correct"]), form)
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.applicant_phone == ""
    # the form again, with the phone still empty: nothing changed, nothing recorded
    form.update(name="Siti Aminah Rahayu", reason="Nama sesuai KK.")
    assert client.post(reverse("dossiers:act", args=[d.code, "correct"]), form).status_code == 302
    assert list(Correction.objects.values_list("field", flat=True)) == ["phone", "name"]
    r = client.post(f"/api/v1/dossiers/{d.code}/correct/", {"changes": {"phone": PHONE}, "reason": REASON},
                    content_type="application/json", **token("front"))
    assert r.status_code == 200, r.content
    assert Dossier.objects.get(pk=d.pk).applicant_phone == PHONE


# --- the returning citizen -----------------------------------------------------------------------

def test_a_returning_citizen_without_a_phone_is_offered_an_empty_one(client, office, people, all_items, token):
    first = _intake(office, people, all_items, phone="")
    last = selectors.applicant_last(office=office, nik=first.applicant_nik, full_nik=True)
    assert last["phone"] == "" and last["code"] == first.code
    client.force_login(people["front"])
    page = client.post("/staf/berkas/baru/", {"service": "pindah", "nik": first.applicant_nik},
                       HTTP_HX_REQUEST="true", HTTP_HX_TARGET="from-nik").content.decode()
    assert re.search(r'data-fill="phone" data-value="">—</dd>', page)
    offered = dict(re.findall(r'data-fill="([a-z_]+)" data-value="([^"]*)"', page))
    r = client.post("/staf/berkas/baru/", intake_form(all_items, **offered))
    assert r.status_code == 302 and Dossier.objects.latest("pk").applicant_phone == ""
    api = client.get(f"/api/v1/applicants/{first.applicant_nik}/last/", **token("front"))
    assert api.status_code == 200 and api.json()["phone"] == ""
