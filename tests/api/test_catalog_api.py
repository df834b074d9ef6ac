"""The catalog API keeps the shape the issue promises, in the standard's order."""

import pytest

SERVICE_KEYS = {
    "number", "code", "name", "short_name", "unit", "signer", "register_book", "product", "forwarded_to",
    "duration", "fee", "requirements", "procedure", "legal_basis", "facilities", "competence",
    "internal_oversight", "complaint_handling", "staffing", "service_guarantee", "security_guarantee",
    "performance_evaluation",
}


@pytest.fixture
def services(client, mini_standard):
    response = client.get("/api/v1/services/")
    assert response.status_code == 200
    return response.json()


def test_list_has_edition_and_services_in_order(services, mini_standard):
    assert services["edition"] == {
        "office": "Kecamatan Contoh", "year": 2018, "signed_on": "2018-08-01", "signed_place_date": "", "signer": "Budi", "status": "active",
    }
    assert [s["number"] for s in services["services"]] == [1, 2]
    for s in services["services"]:
        assert SERVICE_KEYS <= set(s)


def test_service_shape(client, mini_standard):
    s = client.get("/api/v1/services/pindah/").json()
    assert s["unit"] == "Kasi Pemerintahan"
    assert s["duration"] == {"min": 5, "max": 10, "unit": "minute", "text": "5 – 10 menit"}
    assert s["fee"]["kind"] == "free" and s["fee"]["text"] == "Gratis"
    assert s["requirements"][1]["condition"] == "jika pindah antar kota/ provinsi"
    assert s["requirements"][2]["show_original"] is True
    assert {"id", "text", "condition", "show_original"} <= set(s["requirements"][0])
    assert s["procedure"][0] == "Berkas diterima front office"
    assert s["legal_basis"] == ["Undang-Undang Nomor 24 Tahun 2013"]
    assert s["complaint_handling"] == {
        "channels": ["telpon"], "contacts": [{"label": "Telpon", "value": "(0351) 1"}], "steps": ["Diregister"],
    }
    assert s["forwarded_to"] == "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"


def test_tariff_fee_details(client, mini_standard):
    fee = client.get("/api/v1/services/sewa-gedung/").json()["fee"]
    assert fee["kind"] == "tariff"
    assert fee["government_discount_percent"] == 50
    assert fee["tariffs"][0] == {
        "code": "siang", "label": "Siang", "kind": "session", "start": "07:00", "end": "15:00",
        "quantity": 1, "unit": "hari", "unit_price": 1000000, "amount": 1000000,
    }
    assert fee["tariffs"][1]["amount"] == 280000


def test_unknown_service_is_404_with_message(client, mini_standard):
    response = client.get("/api/v1/services/tidak-ada/")
    assert response.status_code == 404
    assert "tidak-ada" in response.json()["detail"]


def test_unknown_office_is_404(client, mini_standard):
    assert client.get("/api/v1/services/?office=entah").status_code == 404


def test_office_parameter_selects_the_office(client, mini_standard):
    assert client.get("/api/v1/services/?office=contoh").json()["edition"]["office"] == "Kecamatan Contoh"


def test_list_follows_the_active_edition(client, mini_standard):
    from loket.catalog.services import edition_activate, edition_copy

    draft = edition_copy(edition=mini_standard.edition, year=2019)
    assert client.get("/api/v1/services/").json()["edition"]["year"] == 2018
    edition_activate(edition=draft)
    assert client.get("/api/v1/services/").json()["edition"]["year"] == 2019


def test_query_count_does_not_grow_with_services(client, mini_standard, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/api/v1/services/")


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/v1/schema/").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/services/" in schema["paths"]
    assert "/api/v1/services/{code}/" in schema["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content and b"unpkg" not in docs.content
