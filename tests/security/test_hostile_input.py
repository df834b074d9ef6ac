"""Every hostile byte gets a 400, and no date parameter can make a 500.

Control characters (C0 but TAB, LF, CR; DEL; lone surrogates) are refused by
RefuseControlCharactersMiddleware at every door — address, query string, urlencoded and
multipart forms (the anonymous public complaint form included), JSON bodies under any content
type — with an Indonesian message naming the field (JSON under /api/), before any query, and
nothing is saved. TAB, LF, CR and file contents pass (upload names lose them in Django's parser).

Dates of screens, exports, API filters and form/API bodies are bounded (2000–2100 or tighter,
loket.core.inputs): a year 9999 gets a message or a 400, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from loket.api.models import ApiToken
from loket.complaints import services as complaint_services
from loket.complaints.models import Complaint, Coordination
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from tests.complaints.conftest import complaint_data
from tests.factories import applicant_data

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"]
ALLOWED = ["\t", "\n", "\r\n"]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x7f\n%%EOF\n"


def public_complaint(**over) -> dict:
    data = complaint_data(**over)
    data.pop("channel")
    return data


@pytest.fixture
def front_token(people):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people['front'], name='tes')[1]}"}


@pytest.fixture
def received(office, people, all_items):
    return services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                   actor=people["front"], present=all_items, originals=all_items)


def _is_refusal_page(r, field: str):
    assert r.status_code == 400, r.content[:300]
    assert r["Content-Type"].startswith("text/plain")
    text = r.content.decode()
    assert f"Isian \u201c{field}\u201d berisi karakter NUL atau karakter kendali lain" in text
    assert "Hapus karakter itu lalu kirim lagi" in text


def _is_refusal_json(r, field: str):
    assert r.status_code == 400, r.content[:300]
    body = r.json()
    assert body["detail"] == "Data tidak valid."
    assert list(body["errors"]) == [field]
    assert "berisi karakter NUL atau karakter kendali lain" in body["errors"][field][0]


# --- control characters: every door ---------------------------------------------------------------

@pytest.mark.parametrize("char", REFUSED)
def test_a_control_character_in_the_query_string_is_refused_before_any_query(char, client, db,
                                                                              django_assert_num_queries):
    with django_assert_num_queries(0):
        r = client.get("/lacak/", {"kode": f"AB{char}CD"})
    _is_refusal_page(r, "kode")


def test_a_control_character_in_a_query_name_or_the_address_is_refused(client, db):
    _is_refusal_page(client.get("/lacak/?ko%01de=AB"), "ko?de")
    _is_refusal_page(client.get("/lacak/AB%01CD/"), "path")
    _is_refusal_json(client.get("/api/v1/complaints/AB%7FCD/"), "path")
    _is_refusal_json(client.get("/api/v1/services/", {"office": "contoh\x1b"}), "office")


@pytest.mark.parametrize("char", REFUSED)
def test_the_public_complaint_form_refuses_a_control_character_and_saves_nothing(char, client, office,
                                                                                 django_assert_num_queries):
    # A multipart form, as the browser sends it (attachments), without login.
    data = {**public_complaint(text=f"KTP-el saya belum jadi{char} sejak dua bulan."), "attachments": []}
    with django_assert_num_queries(0):
        r = client.post(f"/{office.slug}/pengaduan/", data)
    _is_refusal_page(r, "text")
    assert not Complaint.objects.exists()


def test_the_public_complaint_form_urlencoded_too(client, office):
    from urllib.parse import urlencode

    r = client.post(f"/{office.slug}/pengaduan/", urlencode(public_complaint(name="Budi\x00")),
                    content_type="application/x-www-form-urlencoded")
    _is_refusal_page(r, "name")
    assert not Complaint.objects.exists()


def test_a_staff_form_refuses_a_control_character_and_changes_nothing(client, people, received,
                                                                      django_assert_num_queries):
    client.force_login(people["front"])
    url = reverse("dossiers:act", args=[received.code, "return"])
    with django_assert_num_queries(0):
        r = client.post(url, {"reason": "Foto\x00 kurang jelas", "missing": "Pas foto"})
    _is_refusal_page(r, "reason")
    received.refresh_from_db()
    assert received.state == Dossier.State.RECEIVED
    assert not Transition.objects.filter(dossier=received, to_state=Dossier.State.RETURNED).exists()


def test_upload_contents_pass_and_their_names_lose_control_characters(client, people):
    client.force_login(people["front"])
    # The file's NUL, SOH and DEL bytes are the file's business (checked by content, core.uploads);
    # Django's multipart parser drops the non-printable characters of the name itself.
    upload = SimpleUploadedFile("surat\x01.pdf", PDF, content_type="application/pdf")
    r = client.post(reverse("complaints:record"), {**complaint_data(), "attachments": [upload]})
    assert r.status_code == 302, r.content[:300]
    assert Complaint.objects.get().attachments.get().original_name == "surat.pdf"


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/x-unknown", ""])
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x7f"])
def test_json_under_any_content_type_is_checked(content_type, char, client, office, django_assert_num_queries):
    body = json.dumps(public_complaint(subject=f"KTP-el{char}"))  # json.dumps writes the \\u escape
    with django_assert_num_queries(0):
        r = client.post("/api/v1/complaints/", body, content_type=content_type)
    _is_refusal_json(r, "subject")
    assert not Complaint.objects.exists()


def test_json_under_text_plain_is_parsed_like_json(client, office):
    # The cause of the 500: ninja parses any body as JSON, the old check only looked at
    # application/json. The API takes it the same way under either type.
    r = client.post("/api/v1/complaints/", json.dumps(public_complaint()), content_type="text/plain")
    assert r.status_code == 201, r.content
    assert Complaint.objects.get().subject == "KTP-el belum jadi"


def test_json_keys_and_nested_strings_are_checked_with_their_path(client, people, front_token):
    applicant = {**applicant_data(name="Siti\x01Aminah"), "birth_date": "1990-08-05"}
    r = client.post("/api/v1/dossiers/", {"service": "pindah", "applicant": applicant},
                    content_type="application/json", **front_token)
    _is_refusal_json(r, "applicant.name")
    r = client.post("/api/v1/complaints/", {**public_complaint(), "sub\x00ject": "x"}, content_type="application/json")
    _is_refusal_json(r, "sub?ject")
    r = client.post("/api/v1/dossiers/", {"service": "pindah", "present": [1, "dua\x7f"]},
                    content_type="application/json", **front_token)
    _is_refusal_json(r, "present.1")
    assert not Dossier.objects.exists() and not Complaint.objects.exists()


def test_a_lone_surrogate_is_refused(client, office):
    body = json.dumps(public_complaint()).replace('"KTP-el belum jadi"', '"KTP-el \\ud800"')
    _is_refusal_json(client.post("/api/v1/complaints/", body, content_type="application/json"), "subject")
    assert not Complaint.objects.exists()


def test_a_raw_control_character_in_a_json_body_is_not_json(client, office):
    body = json.dumps(public_complaint()).replace("KTP-el belum jadi", "KTP-el\x00").encode()
    r = client.post("/api/v1/complaints/", body, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["errors"] == {"body": ["Isi permintaan bukan JSON yang sah."]}
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("char", ALLOWED)
def test_tab_and_line_breaks_pass(char, client, office):
    text = f"Baris satu{char}baris dua, cukup panjang."
    r = client.post("/api/v1/complaints/", public_complaint(text=text), content_type="application/json")
    assert r.status_code == 201, r.content
    assert Complaint.objects.get().text == text


def test_the_text_backslash_u0000_is_only_text(client, office):
    # Six characters, not a NUL: the old byte scan for b"\\u0000" refused this wrongly.
    text = "Pesan error aplikasi: \\u0000 tidak dikenal."
    r = client.post("/api/v1/complaints/", public_complaint(text=text), content_type="application/json")
    assert r.status_code == 201, r.content
    assert Complaint.objects.get().text == text


def test_a_broken_multipart_body_gets_a_message(db):
    client = Client()
    r = client.post("/pengaduan/lacak/ABCD/tanggapan/", b"--x\r\nrusak", content_type="multipart/form-data")
    assert r.status_code == 400
    assert "Formulir tidak dapat dibaca" in r.content.decode()


# --- dates: never a 500 --------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    {"sampai": "9999-12-31"}, {"dari": "9999-12-31"}, {"dari": "0001-01-01"}, {"tahun": "99999"},
    {"tahun": "9" * 5000}, {"dari": "2026-02-30"},
])
def test_the_register_screen_ignores_a_date_out_of_the_window_with_a_message(query, client, people):
    client.force_login(people["front"])
    r = client.get(reverse("registers:book"), query)
    assert r.status_code == 200
    assert "Filter itu diabaikan" in r.content.decode()


@pytest.mark.parametrize("name", ["registers:export_xlsx", "registers:export_pdf"])
def test_the_register_exports_send_a_bad_date_back_to_the_screen(name, client, people):
    client.force_login(people["front"])
    r = client.get(reverse(name), {"sampai": "9999-12-31", "status": "registered"})
    assert r.status_code == 302
    assert r["Location"] == reverse("registers:book") + "?sampai=9999-12-31&status=registered"
    page = client.get(r["Location"]).content.decode()
    assert "31-12-2100" in page  # the window, said on the screen


def test_the_complaint_report_ignores_dates_out_of_the_window(client, people):
    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"), {"dari": "9999-12-25", "sampai": "9999-12-31"})
    assert r.status_code == 200
    assert "antara 01-01-2000 sampai 31-12-2100" in r.content.decode()


def test_the_camat_calendar_starts_today_for_a_date_out_of_the_window(client, people):
    client.force_login(people["camat"])
    for value in ("9999-12-31", "2100-12-31", "1999-01-01"):
        r = client.get(reverse("deeds:calendar"), {"dari": value})
        assert r.status_code == 200, value
        assert "Ditampilkan mulai hari ini" in r.content.decode(), value


@pytest.mark.parametrize("query, field", [
    ({"from": "9999-12-31"}, "from"), ({"to": "0001-01-01"}, "to"), ({"from": "1999-12-31", "to": "2026-01-01"}, "from"),
])
def test_the_skm_api_filter_is_bounded(query, field, client, people, front_token):
    r = client.get("/api/v1/skm/ikm/", query, **front_token)
    assert r.status_code == 400, r.content
    assert r.json()["errors"] == {field: ["Tanggal harus antara 01-01-2000 sampai 31-12-2100."]}


@pytest.mark.parametrize("value", ["9999-12-31", "1999-12-31", "20261231"])
def test_a_meeting_date_out_of_the_window_is_400_and_records_nothing(value, client, people, office):
    c = complaint_services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people['front'], name='tes')[1]}"}
    r = client.post(f"/api/v1/staff/complaints/{c.code}/coordinate/",
                    {"kind": "musyawarah", "party": "Kelurahan Klegen", "question": "Musyawarah warga",
                     "meeting_date": value}, content_type="application/json", **token)
    assert r.status_code == 400, r.content
    assert "meeting_date" in r.json()["errors"]
    assert not Coordination.objects.exists()
    c.refresh_from_db()
    assert c.state == Complaint.State.RECEIVED
