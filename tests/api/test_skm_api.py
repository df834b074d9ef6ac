"""SKM API: the IKM with the office's weight, the period report (its numbers are those of
selectors.report), the import of paper forms (201/400 with every problem/403, nothing saved on
a refusal), the kiosk, the weight setting, publishing (201/400/403/409), the latest publication
for the public (no personal data) and the public form of a handed-over dossier (201/400/404/409,
rate-limited with the web form); the roles of services.IMPORTERS/COLLECTORS/SETTERS/PUBLISHERS;
401 without credentials; every operation in the OpenAPI schema with Indonesian summaries."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from loket.surveys import api as skm_api
from loket.api.models import ApiToken
from loket.core import ratelimit
from loket.surveys import ikm, selectors, services
from loket.surveys.models import Publication, Response, Setting
from loket.surveys.periods import Period
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.surveys import FORMS_2026, HEADER, SECRET, csv_of as _csv, handed_over as _handed_over
from tests.support.surveys import import_lines as _import, line as _line, taken_in as _taken_in
from tests.support.world import other  # noqa: F401  (a fixture: a second office with its own staff)

KEYS = ikm.KEYS
ROLES = ["front", "kasi", "sekcam", "camat", "bendahara", "ppat", "admin"]
IMPORTERS = {"front", "sekcam", "camat", "admin"}  # services.IMPORTERS = COLLECTORS
SETTERS = {"camat", "sekcam", "admin"}
PUBLISHERS = {"camat", "sekcam"}
ANSWERS = dict(zip(KEYS, [4, 3, 3, 4, 2, 4, 4, 1, 3]))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, url, body, headers=None):
    return client.post(url, body, content_type="application/json", **(headers or {}))


def _put(client, url, body, headers=None):
    return client.put(url, json.dumps(body), content_type="application/json", **(headers or {}))


@pytest.fixture
def answered(office, people):
    _import(office, people["front"], FORMS_2026)


def _counts():
    return Response.objects.count(), Publication.objects.count(), Setting.objects.count()


# --- GET /skm/ikm/: the office's weight by default ---------------------------------------------

def test_ikm_without_weight_uses_the_offices_setting(client, office, people, token, answered):
    exact = client.get("/api/v1/skm/ikm/", **token("kasi")).json()
    assert exact["weight"] == "exact"
    services.weight_set(office=office, actor=people["camat"], weight="0.11")
    r = client.get("/api/v1/skm/ikm/", **token("kasi"))
    assert r.status_code == 200 and r.json()["weight"] == "0.11"
    assert r.json() == selectors.ikm_stored(office=office, weight="0.11").as_json()
    # an explicit weight still wins
    assert client.get("/api/v1/skm/ikm/", {"weight": "exact"}, **token("kasi")).json() == exact
    assert client.get("/api/v1/skm/ikm/", {"weight": "0.2"}, **token("kasi")).status_code == 400


# --- GET /skm/report/ ----------------------------------------------------------------------------

def _group(g):
    r = g.result.as_json() if g.result else None
    return {"key": g.key, "name": g.name, "respondents": g.respondents, "ikm_unit": r and r["ikm_unit"],
            "grade": r and r["grade"], "label": r and r["label"]}


def test_report_numbers_are_those_of_the_selector(client, office, token, answered):
    r = client.get("/api/v1/skm/report/", {"period": "semester", "year": "2026", "number": "1"}, **token("kasi"))
    assert r.status_code == 200, r.content
    out = r.json()
    rep = selectors.report(office=office, period=Period("semester", 2026, 1))
    assert out["period"] == {"kind": "semester", "year": 2026, "number": 1, "label": "Semester I 2026",
                             "start": "2026-01-01", "end": "2026-06-30"}
    assert out["weight"] == rep.weight == "exact"
    assert (out["respondents"], out["population"], out["sample_min"], out["sample_short"]) == (
        rep.respondents, rep.population, rep.sample_min, rep.sample_short) == (4, 0, 0, False)
    assert out["ikm"] == rep.result.as_json() and out["error"] == ""
    assert out["by_service"] == [_group(g) for g in rep.by_service]
    assert out["by_unit"] == [_group(g) for g in rep.by_unit]
    assert out["trend"] == [_group(g) for g in rep.trend]
    assert [t["name"] for t in out["trend"]] == ["Sem II 2024", "Sem I 2025", "Sem II 2025", "Sem I 2026"]
    assert out["trend"][2]["respondents"] == 1 and out["trend"][2]["grade"] == "D"
    assert out["profile"] == {k: [{"label": a, "count": b} for a, b in rows] for k, rows in rep.profile.items()}
    assert {"label": "sma", "count": 2} in out["profile"]["pendidikan"]
    assert out["sources"] == [{"label": "Kuesioner kertas (impor)", "count": 4}]
    assert out["suggestions_total"] == 2
    assert out["suggestions"] == [
        {"date": s["date"].isoformat(), "service": s["service__name"], "text": s["suggestion"]} for s in rep.suggestions
    ]
    assert [s["text"] for s in out["suggestions"]] == ["Parkir sempit", f"Cepat sekali {SECRET}"]


def test_report_filters_and_weight(client, office, people, token, answered):
    services.weight_set(office=office, actor=people["camat"], weight="0.111")
    q = {"period": "tahun", "year": "2026"}
    out = client.get("/api/v1/skm/report/", q, **token("front")).json()
    assert out["weight"] == "0.111" and out["period"]["label"] == "Tahun 2026"
    assert out["ikm"] == selectors.report(office=office, period=Period("tahun", 2026, 1)).result.as_json()
    out = client.get("/api/v1/skm/report/", {**q, "weight": "exact", "service": "pindah"}, **token("front")).json()
    assert out["weight"] == "exact" and out["respondents"] == 2 and out["service"] == "pindah"
    out = client.get("/api/v1/skm/report/", {**q, "unit": "umum"}, **token("front")).json()
    assert out["unit"] == "umum" and out["respondents"] == 1
    assert out["ikm"] is None and "Sarana dan prasarana" in out["error"]


def test_report_of_a_period_without_responses(client, token, answered):
    out = client.get("/api/v1/skm/report/", {"period": "bulan", "year": "2024", "number": "5"}, **token("camat")).json()
    assert out["respondents"] == 0 and out["ikm"] is None and out["error"]
    assert out["by_service"] == [] and out["suggestions"] == [] and out["suggestions_total"] == 0


def test_report_without_a_period_is_the_current_semester(client, token, db, people):
    today = timezone.localdate()
    out = client.get("/api/v1/skm/report/", **token("kasi")).json()
    assert out["period"]["kind"] == "semester" and out["period"]["year"] == today.year
    assert out["period"]["number"] == (1 if today.month <= 6 else 2)


def test_report_shows_at_most_200_suggestions_and_counts_all(client, office, token, db, people):
    Response.objects.bulk_create(
        Response(office=office, date=dt.date(2026, 3, 1), source=Response.Source.KIOSK, suggestion=f"saran {i}",
                 **dict.fromkeys(KEYS, 3)) for i in range(201))
    out = client.get("/api/v1/skm/report/", {"period": "tahun", "year": "2026"}, **token("kasi")).json()
    assert len(out["suggestions"]) == skm_api.SUGGESTIONS_SHOWN == 200 and out["suggestions_total"] == 201


@pytest.mark.parametrize("query, field, words", [
    ({"period": "minggu"}, "period", "tidak dikenal"),
    ({"period": "semester", "year": "2026", "number": "3"}, "number", "tidak ada"),
    ({"period": "bulan", "year": "2026", "number": "0"}, "number", "tidak ada"),
    ({"period": "triwulan", "year": "20x6"}, "year", "bilangan bulat"),
    ({"period": "tahun", "year": "1999"}, "year", "antara"),
    ({"period": "bulan", "year": "2026", "number": "-1"}, "number", "bilangan bulat"),
])
def test_report_bad_period_is_400_in_indonesian(client, token, db, people, query, field, words):
    r = client.get("/api/v1/skm/report/", query, **token("kasi"))
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["detail"] == "Data tidak valid." and list(body["errors"]) == [field]
    assert words in body["errors"][field][0]


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_reads_the_report_and_the_setting(client, token, answered, role):
    assert client.get("/api/v1/skm/report/", {"year": "2026", "number": "1"}, **token(role)).status_code == 200
    assert client.get("/api/v1/skm/setting/", **token(role)).json() == {"weight": "exact", "label": "1/9 (tepat)"}


def test_staff_operations_need_credentials_and_a_staff_account(client, office, db, django_user_model):
    for method, url in [("get", "/api/v1/skm/report/"), ("post", "/api/v1/skm/import/"),
                        ("post", "/api/v1/skm/kiosk/"), ("get", "/api/v1/skm/setting/"),
                        ("put", "/api/v1/skm/setting/"), ("post", "/api/v1/skm/publications/")]:
        assert getattr(client, method)(url).status_code == 401, url
    outsider = django_user_model.objects.create_user("tamu", password="x-Pass-12345")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=outsider, name='tes')[1]}"}
    assert client.get("/api/v1/skm/report/", **headers).status_code == 401  # its token does not authenticate
    client.force_login(outsider)
    r = client.get("/api/v1/skm/report/")
    assert r.status_code == 403 and "pegawai" in r.json()["detail"]


# --- POST /skm/import/ ---------------------------------------------------------------------------

def _upload(client, data: bytes, headers, name="kuesioner.csv"):
    return client.post("/api/v1/skm/import/", {"file": SimpleUploadedFile(name, data)}, **headers)


@pytest.mark.parametrize("role", sorted(IMPORTERS))
def test_import_csv(client, office, people, token, role):
    r = _upload(client, _csv(FORMS_2026), token(role))
    assert r.status_code == 201, r.content
    assert r.json() == {"imported": 5}
    assert Response.objects.filter(office=office, source=Response.Source.PAPER, created_by=people[role]).count() == 5


def test_import_xlsx_by_content(client, office, token):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append([4, 4, 3, 4, 3, 3, 4, 2, 3, dt.date(2026, 2, 1), "pindah", "L", 30, "SMA", "Petani", ""])
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(client, buf.getvalue(), token("front"), name="tanpa-akhiran")
    assert r.status_code == 201, r.content
    assert r.json() == {"imported": 1}
    assert Response.objects.get().service.code == "pindah"


@pytest.mark.parametrize("data, words", [
    (_csv([_line([4] * 9, "2026-01-10"), _line([5] + [4] * 8, "2026-01-11"), _line([""] * 9, "2026-01-12")]),
     ["Baris 3: persyaratan harus 1, 2, 3 atau 4", "Baris 4: tidak ada satu pun unsur yang dijawab"]),
    (_csv([_line([4] * 9, "2026-01-10", "tidak-ada")]), ["Baris 2: layanan 'tidak-ada' tidak dikenal"]),
    (b"nama,umur\nBudi,30\n", ["kolom 'nama' tidak dikenal", "kolom wajib tidak ada"]),
    (b"\xff\xfe\x00bukan teks", ["bukan CSV"]),
    (b"", ["tidak ada judul kolom"]),
    (b"PK\x03\x04rusak", ["XLSX tidak dapat dibaca"]),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, ["Excel lama (.xls)"]),
    (b"persyaratan\x00,waktu\n3,\x004\n", ["Baris 1, kolom A: ada karakter kendali (NUL"]),  # a NUL byte in a header
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ["bukan CSV"]),
])
def test_import_refused_lists_every_problem_and_saves_nothing(client, token, db, people, data, words):
    r = _upload(client, data, token("front"))
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["detail"] and body["problems"] and body["errors"] == {"file": body["problems"]}
    text = "\n".join(body["problems"])
    for w in words:
        assert w in text, (w, text)
    assert _counts() == (0, 0, 0)


def test_import_over_5_mb_is_refused(client, token, db, people):
    big = _csv([_line([4] * 9, "2026-01-10")]) + b"\n" * (skm_api.IMPORT_MAX_BYTES + 1)
    r = _upload(client, big, token("front"))
    assert r.status_code == 400 and "5 MB" in r.json()["problems"][0]
    assert Response.objects.count() == 0


def test_import_without_a_file_is_400(client, token, db, people):
    r = client.post("/api/v1/skm/import/", {}, **token("front"))
    assert r.status_code == 400 and r.json()["errors"] == {"file": ["Wajib diisi: berkas CSV atau XLSX."]}


@pytest.mark.parametrize("role", sorted(set(ROLES) - IMPORTERS))
def test_import_by_another_role_is_403_and_saves_nothing(client, token, db, people, role):
    r = _upload(client, _csv(FORMS_2026), token(role))
    assert r.status_code == 403 and "Impor kuesioner hanya untuk" in r.json()["detail"]
    assert Response.objects.count() == 0


def test_import_goes_to_the_callers_office(client, office, token, other):
    office2, people2, _ = other
    r = _upload(client, _csv(FORMS_2026[:1]), token("front", people2["front"]))
    assert r.status_code == 201
    assert Response.objects.get().office == office2


# --- POST /skm/kiosk/ ----------------------------------------------------------------------------

def _kiosk(**over):
    body = {"service": "pindah", "answers": dict(ANSWERS),
            "profile": {"jenis_kelamin": "P", "umur": 34, "pendidikan": "SMA", "pekerjaan": "Guru", "saran": "Bagus"}}
    body.update(over)
    return body


@pytest.mark.parametrize("role", sorted(IMPORTERS))
def test_kiosk_saves_a_response(client, office, people, token, role):
    r = _post(client, "/api/v1/skm/kiosk/", _kiosk(), token(role))
    assert r.status_code == 201, r.content
    resp = Response.objects.get(pk=r.json()["id"])
    assert set(r.json()) == {"id"}
    assert resp.office == office and resp.source == Response.Source.KIOSK and resp.created_by == people[role]
    assert resp.service.code == "pindah" and resp.unit.code == "pemerintahan"
    assert resp.answers() == ANSWERS and resp.date == timezone.localdate()
    assert (resp.sex, resp.age, resp.education, resp.occupation, resp.suggestion) == ("P", 34, "SMA", "Guru", "Bagus")


def test_kiosk_without_service_or_profile_and_with_blank_answers(client, token, db, people):
    r = _post(client, "/api/v1/skm/kiosk/", {"service": None, "answers": {"waktu": 4, "biaya": None}}, token("front"))
    assert r.status_code == 201, r.content
    resp = Response.objects.get()
    assert resp.service is None and resp.unit is None and resp.waktu == 4 and resp.biaya is None
    assert resp.sex == "" and resp.age is None


@pytest.mark.parametrize("body, field, words", [
    (_kiosk(answers={**ANSWERS, "waktu": 5}), "answers.waktu", "Waktu penyelesaian"),
    (_kiosk(answers={**ANSWERS, "waktu": 0}), "answers.waktu", "empat pilihan"),
    (_kiosk(answers={}), "answers", "paling sedikit satu unsur"),
    (_kiosk(answers={k: None for k in KEYS}), "answers", "paling sedikit satu unsur"),
    (_kiosk(service="tidak-ada"), "service", "tidak dikenal"),
    (_kiosk(profile={"umur": 5}), "profile.umur", "10–120"),
    (_kiosk(profile={"jenis_kelamin": "X"}), "profile.jenis_kelamin", "L atau P"),
    (_kiosk(profile={"saran": "x" * 2001}), "profile.saran", "2000"),
    (_kiosk(answers={**ANSWERS, "waktu": "3"}), "answers.waktu", "bilangan bulat"),
    (_kiosk(answers={**ANSWERS, "kecepatan": 3}), "answers.kecepatan", ""),
    (_kiosk(profile={"nama": "Budi"}), "profile.nama", ""),
    (_kiosk(profile={"tanggal": "2099-01-01"}), "profile.tanggal", ""),  # the date is today's, never sent
    ({"service": "pindah"}, "answers", "Wajib"),
])
def test_kiosk_bad_input_is_400_and_saves_nothing(client, token, db, people, body, field, words):
    r = _post(client, "/api/v1/skm/kiosk/", body, token("front"))
    assert r.status_code == 400, r.content
    errors = r.json()["errors"]
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert Response.objects.count() == 0


@pytest.mark.parametrize("role", sorted(set(ROLES) - IMPORTERS))
def test_kiosk_by_another_role_is_403(client, token, db, people, role):
    r = _post(client, "/api/v1/skm/kiosk/", _kiosk(), token(role))
    assert r.status_code == 403 and "Kios survei hanya untuk" in r.json()["detail"]
    assert Response.objects.count() == 0


# --- /skm/setting/ -------------------------------------------------------------------------------

@pytest.mark.parametrize("role", sorted(SETTERS))
def test_setting_put_and_get(client, office, people, token, role):
    r = _put(client, "/api/v1/skm/setting/", {"weight": "0.111"}, token(role))
    assert r.status_code == 200, r.content
    assert r.json() == {"weight": "0.111", "label": "0,111 (dibulatkan)"}
    assert selectors.weight_of(office) == "0.111" and Setting.objects.get().updated_by == people[role]
    assert client.get("/api/v1/skm/setting/", **token("kasi")).json()["weight"] == "0.111"
    assert _put(client, "/api/v1/skm/setting/", {"weight": "exact"}, token(role)).json()["weight"] == "exact"


@pytest.mark.parametrize("body", [{"weight": "0.2"}, {"weight": ""}, {}, {"weight": 1}])
def test_setting_bad_weight_is_400(client, office, token, db, people, body):
    r = _put(client, "/api/v1/skm/setting/", body, token("camat"))
    assert r.status_code == 400 and "weight" in r.json()["errors"], r.content
    assert not Setting.objects.exists()


@pytest.mark.parametrize("role", sorted(set(ROLES) - SETTERS))
def test_setting_by_another_role_is_403(client, office, people, token, role):
    services.weight_set(office=office, actor=people["camat"], weight="0.11")
    r = _put(client, "/api/v1/skm/setting/", {"weight": "exact"}, token(role))
    assert r.status_code == 403 and "Pengaturan bobot IKM hanya untuk" in r.json()["detail"]
    assert selectors.weight_of(office) == "0.11"


# --- POST /skm/publications/ and GET /skm/publications/{office}/latest/ ---------------------------

PUBLISH = {"period": "semester", "year": 2026, "number": 1}


@pytest.mark.parametrize("role", sorted(PUBLISHERS))
def test_publish(client, office, people, token, answered, role):
    people[role].first_name = "Pejabatrahasia"
    people[role].save()
    r = _post(client, "/api/v1/skm/publications/", PUBLISH, token(role))
    assert r.status_code == 201, r.content
    out = r.json()
    pub = Publication.objects.get()
    rep = selectors.report(office=office, period=Period("semester", 2026, 1))
    assert pub.published_by == people[role] and out["id"] == pub.pk
    assert out["office"] == "contoh" and out["office_name"] == office.name
    assert out["period"] == {"kind": "semester", "year": 2026, "number": 1, "label": "Semester I 2026",
                             "start": "2026-01-01", "end": "2026-06-30"}
    assert out["ikm"] == rep.result.as_json() and out["ikm_unit"] == rep.result.as_json()["ikm_unit"]
    assert (out["grade"], out["label"], out["respondents"], out["weight"]) == (
        rep.result.grade, rep.result.label, 4, "exact")
    assert out["by_service"] == [_group(g) for g in rep.by_service]
    assert "Pejabatrahasia" not in r.content.decode() and SECRET not in r.content.decode()
    # the public sees the same
    latest = client.get("/api/v1/skm/publications/contoh/latest/")
    assert latest.status_code == 200 and latest.json() == out


def test_publish_a_year_needs_no_number_and_keeps_the_offices_weight(client, office, people, token, answered):
    services.weight_set(office=office, actor=people["camat"], weight="0.11")
    r = _post(client, "/api/v1/skm/publications/", {"period": "tahun", "year": 2025}, token("camat"))
    assert r.status_code == 201, r.content
    assert r.json()["period"]["label"] == "Tahun 2025" and r.json()["weight"] == "0.11"
    assert r.json()["ikm_unit"] == 24.75 and r.json()["grade"] == "D"


@pytest.mark.parametrize("body, field", [
    ({"period": "semester", "year": 2026}, "number"),
    ({"period": "semester", "year": 2026, "number": 3}, "number"),
    ({"period": "minggu", "year": 2026, "number": 1}, "period"),
    ({"period": "bulan", "year": 1999, "number": 1}, "year"),
    ({"period": "bulan", "number": 1}, "year"),
    ({"period": "bulan", "year": "dua ribu", "number": 1}, "year"),
])
def test_publish_bad_period_is_400(client, token, answered, body, field):
    r = _post(client, "/api/v1/skm/publications/", body, token("camat"))
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"], r.json()
    assert not Publication.objects.exists()


def test_publish_a_period_without_an_ikm_is_409(client, office, people, token, answered):
    r = _post(client, "/api/v1/skm/publications/", {"period": "bulan", "year": 2024, "number": 1}, token("sekcam"))
    assert r.status_code == 409 and "belum dapat dipublikasikan" in r.json()["detail"]
    # an element nobody answered in the period: no IKM either
    _import(office, people["front"], [_line([2] * 8 + [""], "2024-05-05")])
    r = _post(client, "/api/v1/skm/publications/", {"period": "bulan", "year": 2024, "number": 5}, token("sekcam"))
    assert r.status_code == 409 and "Sarana dan prasarana" in r.json()["detail"]
    assert not Publication.objects.exists()


@pytest.mark.parametrize("role", sorted(set(ROLES) - PUBLISHERS))
def test_publish_by_another_role_is_403(client, token, answered, role):
    r = _post(client, "/api/v1/skm/publications/", PUBLISH, token(role))
    assert r.status_code == 403 and "Publikasi hasil IKM hanya untuk" in r.json()["detail"]
    assert not Publication.objects.exists()


def test_latest_publication_is_the_newest_and_404_before_any(client, office, people, answered, other):
    people["camat"].first_name = "Pejabatrahasia"
    people["camat"].save()
    assert client.get("/api/v1/skm/publications/contoh/latest/").status_code == 404
    assert client.get("/api/v1/skm/publications/tidak-ada/latest/").status_code == 404
    services.publication_publish(office=office, actor=people["camat"], period=Period("semester", 2026, 1))
    newest = services.publication_publish(office=office, actor=people["camat"], period=Period("semester", 2025, 2))
    r = client.get("/api/v1/skm/publications/contoh/latest/")
    assert r.status_code == 200 and r.json()["id"] == newest.pk and r.json()["period"]["label"] == "Semester II 2025"
    page = r.content.decode()
    for secret in [SECRET, "Wiraswasta", "Pejabatrahasia", "published_by", people["camat"].username + '"']:
        assert secret not in page, secret
    # another office has published nothing
    office2, _people2, _ = other
    assert client.get(f"/api/v1/skm/publications/{office2.slug}/latest/").status_code == 404


# --- POST /skm/forms/{code}/: the public form of the receipt's QR ------------------------------

def _form(**over):
    body = {"answers": dict(ANSWERS), "profile": {"jenis_kelamin": "L", "umur": 50, "saran": "Terima kasih"}}
    body.update(over)
    return body


def test_public_form_saves_one_response_per_dossier(client, office, people, all_items):
    d = _handed_over(office, people, all_items)
    r = _post(client, f"/api/v1/skm/forms/{d.code}/", _form())
    assert r.status_code == 201, r.content
    assert "Terima kasih" in r.json()["detail"]
    resp = Response.objects.get()
    assert resp.dossier == d and resp.source == Response.Source.FORM and resp.created_by is None
    assert resp.service == d.service and resp.unit_id == d.unit_id and resp.answers() == ANSWERS
    assert (resp.sex, resp.age, resp.suggestion) == ("L", 50, "Terima kasih")
    # a second time: 409, nothing more saved
    r = _post(client, f"/api/v1/skm/forms/{d.code}/", _form())
    assert r.status_code == 409 and "sudah diisi" in r.json()["detail"]
    assert Response.objects.count() == 1


def test_public_form_accepts_the_code_as_printed(client, office, people, all_items):
    from loket.core import codes

    d = _handed_over(office, people, all_items)
    r = _post(client, f"/api/v1/skm/forms/{codes.display(d.code).lower()}/", _form(profile={}))
    assert r.status_code == 201, r.content


def test_public_form_before_handover_is_409(client, office, people, all_items):
    d = _taken_in(office, people, all_items)
    r = _post(client, f"/api/v1/skm/forms/{d.code}/", _form())
    assert r.status_code == 409 and "setelah berkas diserahkan" in r.json()["detail"]
    assert Response.objects.count() == 0


def test_public_form_unknown_dossier_is_404(client, db):
    r = _post(client, "/api/v1/skm/forms/ZZZZZZZZ/", _form())
    assert r.status_code == 404 and r.json()["detail"]


@pytest.mark.parametrize("body, field", [
    (_form(answers={**ANSWERS, "sarana": 7}), "answers.sarana"),
    (_form(answers={}), "answers"),
    (_form(profile={"umur": 200}), "profile.umur"),
    (_form(profile={"pendidikan": "x" * 101}), "profile.pendidikan"),
    ({"profile": {}}, "answers"),
])
def test_public_form_bad_answers_are_400(client, office, people, all_items, body, field):
    d = _handed_over(office, people, all_items)
    r = _post(client, f"/api/v1/skm/forms/{d.code}/", body)
    assert r.status_code == 400 and field in r.json()["errors"], r.content
    assert Response.objects.count() == 0


def test_public_form_is_rate_limited_with_the_web_form(client, office, people, all_items, one_rate_window):
    d = _handed_over(office, people, all_items)
    statuses = [_post(client, "/api/v1/skm/forms/ZZZZZZZZ/", _form()).status_code
                for _ in range(ratelimit.PUBLIC_LOOKUPS_PER_MINUTE + 1)]
    assert statuses == [404] * ratelimit.PUBLIC_LOOKUPS_PER_MINUTE + [429]
    r = _post(client, f"/api/v1/skm/forms/{d.code}/", _form())
    assert r.status_code == 429 and r.json()["detail"]
    assert Response.objects.count() == 0
    # the web form /skm/<code>/ counts in the same bucket
    assert client.get(reverse("surveys:form", kwargs={"code": d.code})).status_code == 429


def test_the_web_form_uses_up_the_api_limit_too(client, office, people, all_items):
    d = _handed_over(office, people, all_items)
    for _ in range(ratelimit.PUBLIC_LOOKUPS_PER_MINUTE):
        assert client.get(reverse("surveys:form", kwargs={"code": d.code})).status_code == 200
    assert _post(client, f"/api/v1/skm/forms/{d.code}/", _form()).status_code == 429


# --- OpenAPI --------------------------------------------------------------------------------------

OPERATIONS = {
    ("/api/v1/skm/ikm/", "get"): "skm_ikm",
    ("/api/v1/skm/report/", "get"): "skm_report",
    ("/api/v1/skm/import/", "post"): "skm_import",
    ("/api/v1/skm/kiosk/", "post"): "skm_kiosk",
    ("/api/v1/skm/setting/", "get"): "skm_setting",
    ("/api/v1/skm/setting/", "put"): "skm_setting",
    ("/api/v1/skm/publications/", "post"): "skm_publications",
    ("/api/v1/skm/publications/{office_slug}/latest/", "get"): "skm_publication_latest",
    ("/api/v1/skm/forms/{code}/", "post"): "skm_form",
}


def test_the_operations_are_in_the_openapi_schema(client, db):
    schema = json.loads(client.get("/api/v1/schema/").content)
    paths = schema["paths"]
    for (path, method), name in OPERATIONS.items():
        op = paths[path][method]
        assert op["tags"] == ["SKM"] and op["summary"], (path, method)
        public = path.startswith(("/api/v1/skm/forms/", "/api/v1/skm/publications/{"))
        assert ("security" in op) != public, (path, method)
        if not public:
            assert {"401", "403"} <= set(op["responses"]), (path, method)
        kwargs = {"office_slug": "x"} if "office_slug" in path else {"code": "x"} if "{code}" in path else {}
        assert reverse(f"api:{name}", kwargs=kwargs) == path.replace("{office_slug}", "x").replace("{code}", "x")
    assert "multipart/form-data" in paths["/api/v1/skm/import/"]["post"]["requestBody"]["content"]
    assert {"201", "400", "404", "409", "429"} <= set(paths["/api/v1/skm/forms/{code}/"]["post"]["responses"])
    assert "409" in paths["/api/v1/skm/publications/"]["post"]["responses"]
    weight = next(p for p in paths["/api/v1/skm/ikm/"]["get"]["parameters"] if p["name"] == "weight")
    assert not weight.get("required")
    # the public publication names exactly its fields: no staff name can leak through it
    out = schema["components"]["schemas"]["PublicationOut"]["properties"]
    assert "published_by" not in out and set(out) == {
        "id", "office", "office_name", "period", "weight", "respondents", "ikm_unit", "grade", "label", "ikm",
        "population", "sample_min", "by_service", "by_unit", "published_at"}
