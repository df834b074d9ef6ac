"""The English switch covers the staff screens: with English chosen, the staff pages of the
counter (its list, the intake, the Kasi's and the signature's lists, a dossier, the search), the
hall, the land deeds, the complaints, the SKM, the register book and the API tokens show no
Indonesian word of the interface, and month names, dates, durations and clocks are English.

Taken out of the page before the check, as data that stays as it is: the office's names, the
standard's wording, the regulation's questionnaire, what was typed, the notes of the history and
the land law's names of deeds, parties and land titles (also printed on the deed papers, which
stay Indonesian). The refusals the acts raise (loket/dossiers/services.py) stay Indonesian: they
are not on these pages."""

import datetime as dt
import html
import re

import pytest
from django.utils import translation

from loket.catalog.models import ServiceType
from loket.catalog.services import standard_load
from loket.complaints import services as complaint_services
from loket.complaints.services import categories_default_create
from loket.core import formats
from loket.deeds.models import Case, DeedKind, PartyRole
from loket.deeds.services import tax_rules_default_create
from loket.offices.models import Kelurahan, Unit
from loket.offices.services import roles_sync
from loket.rentals import services as rental_services
from loket.rentals.models import Booking, Venue
from loket.rentals.services import venues_default_create

from tests.complaints.conftest import complaint_data
from tests.conftest import people_make
from tests.deeds.conftest import sale
from tests.rentals.conftest import order
from tests.support.deeds import deed_case

# Words of the Indonesian interface that must not be left on a page shown in English. Data words
# (names of services, units, venues, categories, people) are removed from the page first.
INDONESIAN = [
    "Simpan", "Batal", "Cari", "Tanggal", "Bulan", "Hari", "Halaman", "Sebelumnya", "Berikutnya", "Keluar",
    "Tidak", "tidak", "belum", "sudah", "dengan", "untuk", "yang", "Belum", "Sudah", "Semua",
    "Diterima", "Dikembalikan", "Diteruskan", "Dibatalkan", "Diserahkan", "Ditandatangani", "Dipesan",
    "Lunas", "Menunggu", "Selesai", "Dijawab", "Pertanyaan", "Laporan", "Unduh", "Cetak", "Pemohon",
    "menit", "jam", "hari", "mnt", "dtk",
    "Januari", "Februari", "Maret", "Mei", "Juni", "Juli", "Agustus", "Oktober", "Desember",
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
]
# and on the counter's pages
COUNTER_WORDS = [
    "Berkas", "berkas", "Pindaian", "pindaian", "Paraf", "paraf", "serahkan", "Lengkap", "lengkap", "Alasan",
    "Catatan", "Alamat", "Nama", "Perempuan", "Laki-laki", "Kawin", "kawin", "Teruskan", "teruskan", "Kembalikan",
    "Tanda", "tanda", "Lahir", "lahir", "Umur", "umur", "Pemohon", "pemohon", "Layanan", "layanan", "Persyaratan",
]


def visible_text(response) -> str:
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    page = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<head\b.*?</head>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def data_words(office) -> list[str]:
    """The office's own data, as stored: the standard's wording (names, requirements, tariffs, fee
    notes), the regulation's questionnaire (Permenpan RB 14/2017), names, what was typed and the
    notes of the history. It stays Indonesian whatever the page's language."""
    from loket.catalog.models import Requirement, Tariff
    from loket.complaints.models import Category, Complaint, Step
    from loket.dossiers.models import Dossier, Transition
    from loket.surveys.ikm import ELEMENTS

    names = [office.name, office.city]
    names += list(Unit.objects.filter(office=office).values_list("name", flat=True))
    names += list(Kelurahan.objects.filter(office=office).values_list("name", flat=True))
    for s in ServiceType.objects.filter(edition__office=office):
        names += [s.name, s.short_name, s.product, s.duration_text, s.fee_text, *s.fee_notes,
                  *map(str, s.performance_evaluation)]  # komponen 14's aspects, on the evaluation sheet
    names += list(Requirement.objects.filter(service__edition__office=office).values_list("text", flat=True))
    names += list(Tariff.objects.filter(service__edition__office=office).values_list("label", flat=True))
    names += list(Venue.objects.filter(office=office).values_list("name", flat=True))
    names += list(Category.objects.filter(office=office).values_list("name", flat=True))
    for c in Complaint.objects.filter(office=office):
        names += [c.subject, c.text]
    names += list(Step.objects.filter(complaint__office=office).values_list("note", flat=True))
    for d in Dossier.objects.filter(office=office):  # the applicant as typed, and the history's notes
        names += [d.applicant_name, d.applicant_address, d.proxy_name, d.handed_over_to]
    for t in Transition.objects.filter(dossier__office=office):
        names += [t.note, *t.missing]
    for booking in Booking.objects.filter(office=office):  # the quote as given, a paper of its own
        names += booking.quote.get("notes", [])
    # the deeds, parties and land titles of the land law keep their legal names
    names += [str(label) for label in [*DeedKind.labels, *PartyRole.labels, *Case.LandTitle.labels]]
    for _key, name, answers in ELEMENTS:
        names += [name, *answers]
    # personal-data protection: the law's words quoted (each request kind's legal basis, the
    # deletion and objection notes), the retention schedule's record types and sources (the
    # office's data) and the breach register's history
    from loket.privacy import requests as privacy_requests
    from loket.privacy.models import BreachStep, RequestStep, RetentionPeriod
    from loket.privacy.retention_defaults import shipped_retention

    names += [basis for _hours, basis in privacy_requests.DEADLINES.values()]
    names += [privacy_requests.DELETION_NOTE, privacy_requests.OBJECTION_NOTE]
    names += [text for k in shipped_retention() for text in (k.label, k.source, k.what)]
    names += list(RetentionPeriod.objects.filter(office=office).values_list("source", flat=True))
    names += list(BreachStep.objects.filter(breach__office=office).values_list("note", flat=True))
    names += list(RequestStep.objects.filter(request__office=office).values_list("note", flat=True))
    return sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)


@pytest.fixture
def world(db):
    roles_sync()
    office = standard_load().office
    venues_default_create(office=office)
    tax_rules_default_create(office=office)
    categories_default_create(office=office)
    people = people_make(office)
    booking = rental_services.booking_create(office=office, actor=people["bendahara"], data=order())
    complaint = complaint_services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    actors = {"front": people["front"], "ppat": people["ppat"], "validator": people["kasi"], "camat": people["camat"]}
    case = deed_case(office, actors, Case.State.PREPARING, data=sale())
    return office, people, booking, complaint, case


@pytest.fixture
def counter(world):
    """Dossiers of the counter: one received, one forwarded to the Kasi, one initialled for the
    signature, one signed (the front office may register and hand it over), one returned (its
    undo form), one registered."""
    from loket.catalog.models import Requirement
    from loket.dossiers.models import Dossier

    from tests.factories import applicant_data
    from tests.support.dossier_rules import dossier_in

    office, people = world[0], world[1]
    items = list(Requirement.objects.filter(service__code="pindah", service__edition__office=office)
                 .values_list("pk", flat=True))
    applicant = applicant_data(kelurahan=Kelurahan.objects.filter(office=office).first().code)
    made = {state: dossier_in(state, office=office, people=people, items=items, applicant=applicant)
            for state in (Dossier.State.RECEIVED, Dossier.State.FORWARDED, Dossier.State.INITIALLED,
                          Dossier.State.SIGNED, Dossier.State.RETURNED, Dossier.State.REGISTERED)}
    return made


@pytest.fixture(autouse=True)
def language_restored():
    """A request in English leaves English active in the thread: back to the default after each test."""
    yield
    translation.deactivate()


def english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def leftovers(text: str, office, words=INDONESIAN) -> list[str]:
    """Each Indonesian word left, with what surrounds it."""
    for name in data_words(office):
        text = text.replace(name, " ")
    found = []
    for w in words:
        m = re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
        if m:
            found.append(f"{w!r} in …{text[max(0, m.start() - 40):m.end() + 40]}…")
    return found


def pages(world):
    office, people, booking, complaint, case = world
    month = dt.date.today().strftime("%Y-%m")
    return [
        (people["bendahara"], "/staf/gedung/"),
        (people["bendahara"], f"/staf/gedung/{booking.code}/"),
        (people["bendahara"], "/staf/gedung/baru/"),
        (people["bendahara"], f"/staf/gedung/laporan/?bulan={month}"),
        (people["front"], "/staf/pengaduan/"),
        (people["front"], "/staf/pengaduan/semua/"),
        (people["front"], "/staf/pengaduan/terlambat/"),
        (people["front"], "/staf/pengaduan/baru/"),
        (people["front"], f"/staf/pengaduan/{complaint.code}/"),
        (people["camat"], "/staf/pengaduan/laporan/"),
        (people["ppat"], "/staf/akta/"),
        (people["ppat"], f"/staf/akta/{case.code}/"),
        (people["front"], "/staf/akta/baru/"),
        (people["camat"], "/staf/akta/kalender/"),
        (people["ppat"], f"/staf/akta/laporan/?bulan={month}"),
        (people["camat"], "/staf/skm/"),
        (people["front"], "/staf/skm/impor/"),
        (people["front"], "/staf/register/"),
        (people["front"], "/staf/skm/kios/"),
        (people["admin"], "/staf/token/"),
        (people["admin"], "/staf/token/baru/"),
        (people["camat"], "/staf/pimpinan/"),
        (people["camat"], "/staf/pimpinan/kinerja/"),
        (people["sekcam"], "/staf/pimpinan/pengawasan/"),
        (people["camat"], "/staf/pimpinan/terlambat/"),
        (people["camat"], "/staf/pimpinan/menunggu/?status=forwarded"),
        (people["camat"], "/staf/pimpinan/evaluasi/"),
        (people["camat"], f"/staf/pimpinan/evaluasi/{people['front'].pk}/"),
        (people["sekcam"], f"/staf/pimpinan/evaluasi/{people['front'].pk}/rincian/?angka=diterima"),
        (people["camat"], f"/staf/pengaduan/{complaint.code}/"),
    ]


def counter_pages(world, counter):
    from loket.dossiers.models import Dossier

    people = world[1]
    received, signed = counter[Dossier.State.RECEIVED], counter[Dossier.State.SIGNED]
    return [
        (people["front"], "/staf/berkas/"),
        (people["front"], "/staf/berkas/baru/"),
        (people["front"], "/staf/berkas/baru/?layanan=ktp-el"),
        (people["kasi"], "/staf/paraf/"),
        (people["camat"], "/staf/tanda-tangan/"),
        (people["front"], f"/staf/berkas/{received.code}/"),
        (people["kasi"], f"/staf/berkas/{counter[Dossier.State.FORWARDED].code}/"),
        (people["front"], f"/staf/berkas/{signed.code}/"),
        (people["front"], f"/staf/berkas/{counter[Dossier.State.RETURNED].code}/"),
        (people["front"], f"/staf/berkas/{counter[Dossier.State.REGISTERED].code}/"),
        (people["camat"], f"/staf/berkas/{counter[Dossier.State.INITIALLED].code}/"),
        (people["front"], "/staf/berkas/cari/?q=Siti"),
        (people["front"], "/staf/berkas/cari/?q=3577014508900001"),
        (people["bendahara"], "/staf/berkas/cari/?q=3577014508900001"),  # refused: a message
    ]


def test_counter_pages_in_english_leave_no_indonesian_word(client, world, counter):
    found = {}
    for user, path in counter_pages(world, counter):
        text = visible_text(english(client, user).get(path))
        left = leftovers(text, world[0], INDONESIAN + COUNTER_WORDS)
        left += [f"a template comment shown: …{text[text.find('{#'):][:60]}…"] if "{#" in text else []
        if left:
            found[path] = left
    # what the NIK tells, once typed at the intake (htmx): derived data, the last data, a duplicate
    for service in ("ktp-el", "pindah"):
        r = english(client, world[1]["front"]).post(
            "/staf/berkas/baru/", {"service": service, "nik": "3577014508900001"},
            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="from-nik")
        left = leftovers(visible_text(r), world[0], INDONESIAN + COUNTER_WORDS)
        if left:
            found[f"from-nik {service}"] = left
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(w) for p, w in found.items())


def test_staff_pages_in_english_leave_no_indonesian_word(client, world):
    found = {}
    for user, path in pages(world):
        text = visible_text(english(client, user).get(path))
        left = leftovers(text, world[0])
        if left:
            found[path] = left
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(w) for p, w in found.items())


def test_months_dates_and_clocks_follow_the_language(client, world):
    office, people, booking, complaint, case = world
    page = visible_text(english(client, people["camat"]).get("/staf/pengaduan/laporan/"))
    assert all(m in page for m in formats.MONTHS_EN)
    page = visible_text(english(client, people["bendahara"]).get(f"/staf/gedung/{booking.code}/"))
    assert f"{booking.date.day} {formats.MONTHS_EN[booking.date.month - 1]} {booking.date.year}" in page
    client.cookies["django_language"] = "id"
    page = visible_text(client.get(f"/staf/gedung/{booking.code}/"))
    assert f"{booking.date.day} {formats.MONTHS[booking.date.month - 1]} {booking.date.year}" in page


def test_service_durations_in_english(client, world):
    client.cookies["django_language"] = "en"
    page = visible_text(client.get("/kartoharjo/layanan/ktp-el/"))
    ktp = ServiceType.objects.get(code="ktp-el", edition__office=world[0])
    assert f"{ktp.duration_min}–{ktp.duration_max} minutes" in page
    client.cookies["django_language"] = "id"
    assert ktp.duration_text in visible_text(client.get("/kartoharjo/layanan/ktp-el/"))


def test_the_formats_in_both_languages():
    moment = dt.datetime(2026, 3, 5, 7, 9, tzinfo=dt.timezone.utc)  # 14:09 in Asia/Jakarta
    assert formats.date_text(moment, with_time=True) == "5 Maret 2026 14:09 WIB"
    assert formats.duration(5, 10, "minute") == "5–10 menit"
    assert formats.elapsed(dt.timedelta(minutes=6, seconds=5)) == "6 mnt 05 dtk"
    with translation.override("en"):
        assert formats.date_text(moment, with_time=True) == "5 March 2026, 14:09 WIB"
        assert formats.date_text(dt.date(2026, 8, 17)) == "17 August 2026"
        assert formats.month_name(5) == "May"
        assert formats.duration(5, 10, "minute") == "5–10 minutes"
        assert formats.duration(1, 1, "day") == "1 day" and formats.duration(3, 3, "day") == "3 days"
        assert formats.elapsed(dt.timedelta(minutes=6, seconds=5)) == "6 min 05 s"
        assert formats.elapsed(dt.timedelta(days=2, hours=3)) == "2 d 3 h"
        from loket.core.web import month_label
        assert month_label(2026, 3) == "March 2026"
    # the papers and exports keep Indonesian whatever the page's language
    with translation.override("en"):
        assert formats.tanggal(dt.date(2026, 8, 17)) == "17 Agustus 2026"


def test_papers_and_exports_keep_the_indonesian_state(world):
    """A clerk who reads the screens in English still prints the office's documents in Indonesian."""
    from loket.dossiers.models import Dossier

    with translation.override("en"):
        assert str(Dossier.State.HANDED_OVER.label) == "Handed over"
        assert formats.indonesian(Dossier.State.HANDED_OVER.label) == "Diserahkan"
        assert formats.indonesian(Case.State.WITHDRAWN.label) == "Dibatalkan"


def test_counter_messages_in_english(client, world, counter):
    """The counter's own messages follow the page's language (the acts' refusals stay Indonesian)."""
    from loket.core import codes
    from loket.dossiers.models import Dossier

    people = world[1]
    forwarded, received = counter[Dossier.State.FORWARDED], counter[Dossier.State.RECEIVED]
    kasi = english(client, people["kasi"])
    assert "First choose the dossiers to initial." in visible_text(kasi.post("/staf/paraf/", {}, follow=True))
    assert "Dossiers initialled: 1." in visible_text(kasi.post("/staf/paraf/", {"code": forwarded.code}, follow=True))
    camat = english(client, people["camat"])
    assert "First choose the dossiers to sign." in visible_text(camat.post("/staf/tanda-tangan/", {}, follow=True))
    front = english(client, people["front"])
    page = visible_text(front.post(f"/staf/berkas/{received.code}/forward/", {}, follow=True))
    assert f"Dossier {codes.display(received.code)}: Forwarded to the Kasi." in page
    r = front.post("/staf/berkas/baru/", {"service": "ktp-el", "submit": "1"})
    assert r.status_code == 400
    assert "The data is not right yet; check the marked fields. Nothing was saved." in r.content.decode()
    page = visible_text(english(client, people["bendahara"]).get("/staf/berkas/cari/?q=3577014508900001"))
    assert "Searching by NIK is only for staff allowed to see the full NIK." in page
    # the fields' messages ("Nama wajib diisi.") are the act's (services.applicant_clean): Indonesian


def test_the_checklist_decides_in_the_language_of_the_page():
    from loket.dossiers import rules

    today = dt.date(2026, 12, 6)
    with translation.override("en"):
        assert rules.decide_ktp_el_age(applicant={}, today=today).text.startswith("Decided automatically")
        decided = rules.decide_ktp_el_age(applicant={"birth_date": dt.date(1990, 8, 5)}, today=today)
        assert decided.text == "Met: the applicant is 36 years old (date of birth from the NIK)."
        assert rules.photo_note(service_code="ktp-el", birth_date=dt.date(1990, 8, 5)) == (
            "The photo's background must be blue: the birth year 1990 is even (from the NIK).")
    with translation.override("id"):
        assert rules.photo_note(service_code="ktp-el", birth_date=dt.date(1991, 8, 5)) == (
            "Latar foto harus merah: tahun lahir 1991 ganjil (dari NIK).")


def test_counter_shows_the_standard_time_and_the_state_in_english(client, world, counter):
    """The service's time from the standard's numbers in English (its wording in Indonesian), and
    the signed state's label ("Signed") apart from the signer's caption ("Signed by")."""
    from loket.dossiers.models import Dossier

    signed = counter[Dossier.State.SIGNED]
    service = signed.service
    with translation.override("en"):
        english_time = formats.duration(service.duration_min, service.duration_max, service.duration_unit)
    front = english(client, world[1]["front"])
    for path in (f"/staf/berkas/{signed.code}/", "/staf/berkas/", "/staf/berkas/baru/",
                 f"/staf/berkas/baru/?layanan={service.code}"):
        assert english_time in visible_text(front.get(path)), path
    page = visible_text(front.get(f"/staf/berkas/{signed.code}/"))
    assert "Signed ·" in page and "Signed by" in page
    client.cookies["django_language"] = "id"
    assert service.duration_text in visible_text(client.get(f"/staf/berkas/{signed.code}/"))


def test_privacy_pages_in_english_leave_no_indonesian_word(client, world):
    """The pages of personal-data protection (issue 19): the officer's and the Camat's, the
    front office's request form, a request and a breach with its clock."""
    from django.utils import timezone

    from loket.privacy import breaches, requests
    from loket.privacy.models import Officer
    from loket.privacy.retention_defaults import retention_defaults_create

    office, people = world[0], world[1]
    Officer.objects.create(office=office, user=people["kasi_other"], name="Pejabat PDP", position="Kasubbag Umum",
                           email="ppdp@example.go.id")
    retention_defaults_create(office=office)
    r = requests.request_record(office=office, actor=people["front"], kind="akses", nik="3577014508900001",
                                name="Siti Aminah", contact="", identity="ktp", identity_note="", details="Data saya.")
    b = breaches.breach_record(office=office, actor=people["camat"], title="Laptop", description="Hilang.",
                               occurred_at="", known_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                               data_affected="NIK", subjects_affected="Pemohon", subjects_count="3",
                               actions="Sandi diganti.", authority="")
    found = {}
    for user, path in [
        (people["front"], "/staf/privasi/"), (people["front"], "/staf/privasi/permintaan/baru/"),
        (people["camat"], "/staf/privasi/"), (people["camat"], "/staf/privasi/akses/"),
        (people["camat"], "/staf/privasi/permintaan/"), (people["camat"], f"/staf/privasi/permintaan/{r.code}/"),
        (people["camat"], "/staf/privasi/kegagalan/"), (people["camat"], "/staf/privasi/kegagalan/baru/"),
        (people["camat"], f"/staf/privasi/kegagalan/{b.code}/"), (people["kasi_other"], "/staf/privasi/retensi/"),
    ]:
        left = leftovers(visible_text(english(client, user).get(path)), office)
        if left:
            found[path] = left
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(w) for p, w in found.items())
