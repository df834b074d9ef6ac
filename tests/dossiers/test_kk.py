"""The KK number (Nomor Kartu Keluarga) is read like the NIK: the same separators dropped, the
same full-width digits read as ASCII, the same other scripts' digits refused; 16 digits, not
all zeros. What is stored is always plain 0-9 (search, exports and masking rely on it)."""

import pytest

from loket.dossiers import services
from loket.dossiers.models import Applicant, Dossier
from loket.core.nik import NikError, kk_parse
from tests.factories import applicant_data
from loket.core.errors import InvalidInput

KK = "3577010101100002"
FULL_WIDTH = KK.translate({ord("0") + i: 0xFF10 + i for i in range(10)})
ARABIC_INDIC = KK.translate({ord("0") + i: 0x0660 + i for i in range(10)})
DEVANAGARI = KK.translate({ord("0") + i: 0x0966 + i for i in range(10)})
DIGITS_MESSAGE = "Nomor KK hanya boleh berisi angka."
ZEROS_MESSAGE = "Nomor KK tidak boleh semuanya nol; salin nomor dari Kartu Keluarga pemohon."


@pytest.mark.parametrize("value", [
    KK, f" {KK} ", "3577 0101 0110 0002", "3577-0101-0110-0002", "35.77.01.010110.0002", "3577\u00a0010101100002",
    "3577–010101100002",  # en dash from a word processor
    FULL_WIDTH,  # full-width digits from an East Asian input method: read as ASCII, as for the NIK
    int(KK),
])
def test_kk_is_cleaned_like_the_nik(value):
    assert kk_parse(value) == KK


@pytest.mark.parametrize("value, message", [
    ("", "Nomor KK wajib diisi."),
    (None, "Nomor KK wajib diisi."),
    (" - . ", "Nomor KK wajib diisi."),
    (ARABIC_INDIC, DIGITS_MESSAGE),  # str.isdigit() is true, but they are not 0-9
    (DEVANAGARI, DIGITS_MESSAGE),
    ("35770101O1100002", DIGITS_MESSAGE),  # letter O for zero
    ("3577/0101/1000/02", DIGITS_MESSAGE),  # only space, dash and dot are separators
    ("3577\t010110000", DIGITS_MESSAGE),
    ("+3577010101100002", DIGITS_MESSAGE),
    ("357701010110000", "Nomor KK harus 16 digit; yang diisi 15 digit."),
    ("35770101011000021", "Nomor KK harus 16 digit; yang diisi 17 digit."),
    ("0" * 16, ZEROS_MESSAGE),
    ("0000 0000 0000 0000", ZEROS_MESSAGE),
    ("０" * 16, ZEROS_MESSAGE),
])
def test_malformed_kk_is_refused_with_the_reason(value, message):
    with pytest.raises(NikError) as exc:
        kk_parse(value)
    assert str(exc.value) == message


def test_applicant_clean_stores_ascii_digits_only(office):
    out = services.applicant_clean(office=office, data=applicant_data(kk_number=FULL_WIDTH))
    assert out["kk_number"] == KK and out["kk_number"].isascii()


@pytest.mark.parametrize("bad, message", [(ARABIC_INDIC, DIGITS_MESSAGE), ("0" * 16, ZEROS_MESSAGE)])
def test_intake_with_a_bad_kk_reports_it_and_saves_nothing(office, people, all_items, bad, message):
    with pytest.raises(InvalidInput) as exc:
        services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(kk_number=bad),
                                actor=people["front"], present=all_items, originals=all_items)
    assert exc.value.errors == {"kk_number": [message]}
    assert not Dossier.objects.exists() and not Applicant.objects.exists()


def test_intake_through_the_api_normalises_the_kk(client, office, people, all_items):
    client.force_login(people["front"])
    applicant = applicant_data(kk_number="３５７７ ０１０１ ０１１０ ０００２")
    applicant["birth_date"] = applicant["birth_date"].isoformat()
    r = client.post("/api/v1/dossiers/", {"service": "pindah", "applicant": applicant, "present": all_items,
                                          "originals": all_items}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert Dossier.objects.get().applicant_kk_number == KK


def test_the_web_intake_refuses_other_scripts_digits_at_the_field(client, office, people, all_items):
    client.force_login(people["front"])
    form = applicant_data(kk_number=ARABIC_INDIC)
    form.update({"birth_date": form["birth_date"].isoformat(), "service": "pindah", "submit": "1",
                 "present": all_items, "original": all_items})
    r = client.post("/staf/berkas/baru/", form)
    assert r.status_code == 400
    assert DIGITS_MESSAGE in r.content.decode()
    assert not Dossier.objects.exists()
