"""The privacy notice (/<office>/privasi/, UU 27/2022): rendered from the office's register of
processing and its officer; the shipped register matches what Loket stores; each office sees
only its own rows in the admin; linked from every public page and from the forms that collect
personal data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loket.privacy.models import Officer, Processing, RetentionPeriod
from loket.privacy.retention_defaults import retention_defaults_create
from loket.privacy.services import register_default_create, shipped_register
from tests.support.world import other  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_shipped_register_is_given_once_and_kept_as_the_admin_changed_it(office):
    assert register_default_create(office=office) == len(shipped_register()) >= 6
    row = Processing.objects.get(office=office, key="pengaduan")
    row.retention = "Diubah oleh admin."
    row.save()
    assert register_default_create(office=office) == 0
    assert Processing.objects.get(office=office, key="pengaduan").retention == "Diubah oleh admin."
    Processing.objects.filter(office=office, key="skm").delete()
    assert register_default_create(office=office) == 1  # only what is missing


def test_the_shipped_register_names_what_loket_stores():
    """Each row's data are the fields Loket's forms keep for that activity (checked by hand against
    the models); the phone of the counter is listed as optional, the survey has no NIK."""
    rows = {r["key"]: r for r in shipped_register()}
    counter = rows["layanan-loket"]
    assert "NIK" in counter["data_items"] and "telepon" in counter["optional_items"].lower()
    assert "Nomor Kartu Keluarga" in counter["optional_items"]
    assert "tanpa nama dan tanpa NIK" in rows["skm"]["data_items"]
    assert "boleh tanpa nama" in rows["pengaduan"]["optional_items"]
    assert {r["basis"] for r in rows.values()} <= set(Processing.Basis.values)


def test_the_notice_shows_the_register_and_the_officer(client, office, people):
    register_default_create(office=office)
    Processing.objects.filter(office=office, key="akta-ppat").update(active=False)
    page = client.get(reverse("privacy_public:notice", args=[office.slug])).content.decode()
    assert 'id="pv-layanan-loket"' in page and 'id="pv-pengaduan"' in page
    assert 'id="pv-akta-ppat"' not in page  # inactive rows are not shown
    assert "Pelaksanaan tugas dalam rangka kepentingan umum" in page  # the basis in the law's words
    assert 'id="pv-officer-none"' in page
    Officer.objects.create(office=office, user=people["admin"], name="Dra. Rina", position="Kasubbag Umum",
                           email="ppdp@example.go.id")
    from django.core.cache import caches

    caches["pages"].clear()
    page = client.get(reverse("privacy_public:notice", args=[office.slug])).content.decode()
    assert "Dra. Rina" in page and "mailto:ppdp@example.go.id" in page
    assert "3 × 24 jam" in page and "Pasal 32" in page and "Pasal 30" in page


def test_an_unknown_office_is_not_found(client, office):
    assert client.get("/tidak-ada/privasi/").status_code == 404


def test_the_officer_must_be_reachable_and_of_the_office(office, people, other):
    officer = Officer(office=office, user=people["admin"], name="X", position="Y")
    with pytest.raises(ValidationError) as exc:
        officer.full_clean()
    assert "e-mail atau telepon" in str(exc.value)
    foreign = Officer(office=office, user=other[1]["front"], name="X", position="Y", telephone="0351")
    with pytest.raises(ValidationError) as exc:
        foreign.full_clean()
    assert "pegawai kantor kecamatan ini" in str(exc.value)


def test_linked_from_every_public_page_and_the_forms(client, office):
    notice = reverse("privacy_public:notice", args=[office.slug])
    for url in (reverse("catalog:home", args=[office.slug]), reverse("complaints_public:form", args=[office.slug])):
        page = client.get(url).content.decode()
        assert f'href="{notice}"' in page, url
    page = client.get(reverse("complaints_public:form", args=[office.slug])).content.decode()
    assert 'id="privacy-note"' in page


def test_each_office_admin_sees_only_its_own_rows(client, office, people, other):
    register_default_create(office=office)
    register_default_create(office=other[0])
    client.force_login(people["admin"])
    page = client.get(reverse("admin:privacy_processing_changelist")).content.decode()
    own = Processing.objects.get(office=office, key="pengaduan")
    foreign = Processing.objects.get(office=other[0], key="pengaduan")
    assert reverse("admin:privacy_processing_change", args=[own.pk]) in page
    assert reverse("admin:privacy_processing_change", args=[foreign.pk]) not in page
    assert client.get(reverse("admin:privacy_processing_change", args=[foreign.pk])).status_code in (302, 404)


def test_the_staff_forms_that_collect_personal_data_point_to_the_notice(client, office, people):
    notice = reverse("privacy_public:notice", args=[office.slug])
    client.force_login(people["front"])
    page = client.get("/staf/berkas/baru/?layanan=pindah").content.decode()
    assert 'id="privacy-note"' in page and f'href="{notice}"' in page
    client.force_login(people["bendahara"])
    page = client.get(reverse("rentals:new")).content.decode()
    assert 'id="privacy-note"' in page and f'href="{notice}"' in page
    client.force_login(people["front"])  # the data-subject request form (issue 19 item 4)
    page = client.get(reverse("privacy:request_new")).content.decode()
    assert 'id="privacy-note"' in page and f'href="{notice}"' in page


def test_the_notice_lists_the_requests_and_breaches_and_the_access_record(client, office):
    """What the office does with the data of those who ask about their data, and that staff
    readings are recorded, are activities of the register like the others (UU 27/2022 Pasal 31)."""
    register_default_create(office=office)
    page = client.get(reverse("privacy_public:notice", args=[office.slug])).content.decode()
    assert "Permintaan subjek data dan penanganan kegagalan pelindungan data pribadi" in page
    assert "Catatan akses" in page


def test_the_notice_gives_the_offices_retention_periods_and_the_access_record(client, office):
    register_default_create(office=office)
    retention_defaults_create(office=office)
    RetentionPeriod.objects.filter(office=office, kind="kontak-pengadu").update(months=6)
    page = client.get(reverse("privacy_public:notice", args=[office.slug])).content.decode()
    periods = page[page.index('id="pv-periods"'):]
    assert "Identitas dan kontak pengadu: 6 bulan" in periods  # the office's own number, not the default
    assert "Kontak pemohon (telepon, e-mail): 12 bulan" in periods
    assert "Buku register" not in periods[:periods.index("</ul>")]  # what Loket keeps is not listed as removed
    assert "Pasal 31" in page and "Pasal 46" in page
