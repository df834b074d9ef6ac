"""LOKET_PUBLIC_URL and core.web.public_url: the address printed and encoded in QR codes."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from loket import settings as loket_settings
from loket.core.web import public_url


def test_the_setting_wins_over_the_request(settings):
    settings.LOKET_PUBLIC_URL = "https://loket.kartoharjo.go.id"
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    assert public_url(request, "/lacak/ABCDEFGH/") == "https://loket.kartoharjo.go.id/lacak/ABCDEFGH/"


def test_without_it_the_request_s_address(settings):
    settings.LOKET_PUBLIC_URL = ""
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    assert public_url(request, "/lacak/ABCDEFGH/") == "http://127.0.0.1:8000/lacak/ABCDEFGH/"


@pytest.mark.parametrize("value, expected", [
    ("", ""),
    ("https://loket.kartoharjo.go.id", "https://loket.kartoharjo.go.id"),
    (" https://loket.kartoharjo.go.id/ ", "https://loket.kartoharjo.go.id"),
    ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
])
def test_the_setting_is_read_as_scheme_and_host(value, expected):
    assert loket_settings._public_url(value) == expected


@pytest.mark.parametrize("value", ["loket.kartoharjo.go.id", "ftp://x.go.id", "https://x.go.id/loket", "https://x.go.id/?a=1", "https://"])
def test_a_wrong_public_address_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="LOKET_PUBLIC_URL"):
        loket_settings._public_url(value)


def test_the_staff_pages_show_the_public_tracking_link(client, office, people, all_items, settings):
    from loket.dossiers import services
    from tests.factories import applicant_data

    settings.LOKET_PUBLIC_URL = "https://loket.contoh.go.id"
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                present=all_items, originals=all_items)
    client.force_login(people["front"])
    page = client.get(f"/staf/berkas/{d.code}/").content.decode()
    assert f'href="https://loket.contoh.go.id/lacak/{d.code}/"' in page
