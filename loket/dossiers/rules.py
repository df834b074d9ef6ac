"""Service-specific rules from the signed standard, as code with tests.

Each rule looks at the applicant (and the answers) and returns field → message for what the
standard does not allow, with the reason stated so the clerk can explain it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _, gettext_lazy

from loket.catalog.rules import PHOTO_RULE_SERVICES, photo_background


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def rule_ktp_el_age(*, applicant: dict, today: dt.date) -> dict[str, str]:
    """KTP-el (service 1, persyaratan): "Berusia 17 tahun/ dibawah 17 tahun yang sudah kawin
    atau pernah kawin" (UU 24/2013 Pasal 63 ayat 1)."""
    birth = applicant.get("birth_date")
    if birth is None:
        return {}
    if age_on(birth, today) >= 17 or applicant.get("marital_status") not in ("", None, "belum_kawin"):
        return {}
    return {
        "birth_date": (
            f"Pemohon KTP-el berusia {age_on(birth, today)} tahun dan belum kawin. Menurut Standar Pelayanan, "
            "pemohon KTP-el harus berusia 17 tahun atau sudah kawin/pernah kawin."
        )
    }


# Rules per service code of the standard.
SERVICE_RULES = {"ktp-el": [rule_ktp_el_age]}


def service_rules_check(*, service_code: str, applicant: dict, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    for rule in SERVICE_RULES.get(service_code, []):
        errors.update(rule(applicant=applicant, today=today))
    return errors


def clerk_notes(*, service_code: str, applicant: dict) -> list[str]:
    """What the clerk should see while checking, e.g. the KTP-el photo background."""
    notes = []
    birth = applicant.get("birth_date")
    if service_code in PHOTO_RULE_SERVICES and birth:
        colour = photo_background(birth.year)
        notes.append(
            f"Pas foto 3×2 dua lembar berlatar {colour}: tahun lahir {birth.year} "
            f"{'ganjil' if birth.year % 2 else 'genap'}."
        )
    return notes


# --- requirements Loket decides itself ----------------------------------------------------------
# A line of the checklist that the data already taken in answers is decided, not ticked: the
# counter shows the outcome as text, and the intake (services.dossier_intake) records the line
# as present when it is met (when it is not, service_rules_check refuses the intake with the
# reason). The line is found by the start of its wording in the signed standard, in lower case.

EVER_MARRIED = ("kawin", "cerai_hidup", "cerai_mati")  # Applicant.MaritalStatus other than belum_kawin


@dataclass(frozen=True)
class Decision:
    """The outcome of a decided requirement: ``met`` True/False, or None while the data that
    decide it are not there yet; ``text`` says what was decided, from what."""

    met: bool | None
    text: str


def decide_ktp_el_age(*, applicant: dict, today: dt.date) -> Decision:
    """KTP-el, "Berusia 17 tahun/ dibawah 17 tahun yang sudah kawin atau pernah kawin" (UU 24/2013
    Pasal 63 ayat 1): decided from the birth date (read from the NIK) and the marital status."""
    birth = applicant.get("birth_date")
    if birth is None:
        return Decision(None, _("Diputuskan otomatis dari tanggal lahir dalam NIK dan status perkawinan."))
    age = age_on(birth, today)
    if age >= 17:
        return Decision(True, _("Terpenuhi: pemohon berusia %(age)s tahun (tanggal lahir dari NIK).") % {"age": age})
    marital = applicant.get("marital_status") or ""
    if marital in EVER_MARRIED:
        return Decision(True, _("Terpenuhi: pemohon berusia %(age)s tahun dan sudah kawin/pernah kawin.") % {"age": age})
    if not marital:
        return Decision(None, _("Pemohon berusia %(age)s tahun: terpenuhi hanya bila sudah kawin atau pernah "
                                "kawin; pilih status perkawinan.") % {"age": age})
    return Decision(False, _("Tidak terpenuhi: pemohon berusia %(age)s tahun dan belum kawin.") % {"age": age})


# service code → (start of the requirement's wording, the function that decides it)
DECIDED = {"ktp-el": [("berusia 17 tahun", decide_ktp_el_age)]}


def decided_requirements(*, service_code: str, requirements, applicant: dict, today: dt.date) -> dict[int, Decision]:
    """The requirements of ``requirements`` that Loket decides for this service: id → Decision."""
    out: dict[int, Decision] = {}
    for start, decide in DECIDED.get(service_code, []):
        for r in requirements:
            if r.text.strip().lower().startswith(start):
                out[r.pk] = decide(applicant=applicant, today=today)
    return out


def photo_note(*, service_code: str, birth_date: dt.date | None) -> str:
    """The KTP-el pas foto's background, decided from the birth year (catalog.rules.photo_background)."""
    if service_code not in PHOTO_RULE_SERVICES or birth_date is None:
        return ""
    colour = PHOTO_COLOURS[photo_background(birth_date.year)]
    if birth_date.year % 2:
        return _("Latar foto harus %(colour)s: tahun lahir %(year)s ganjil (dari NIK).") % {
            "colour": colour, "year": birth_date.year}
    return _("Latar foto harus %(colour)s: tahun lahir %(year)s genap (dari NIK).") % {
        "colour": colour, "year": birth_date.year}


# catalog.rules.photo_background's answer, in the page's language
PHOTO_COLOURS = {"merah": gettext_lazy("merah"), "biru": gettext_lazy("biru")}


def is_photo_requirement(service_code: str, requirement) -> bool:
    """The line of the checklist the photo note belongs to (KTP-el: "Pas Foto …")."""
    return service_code in PHOTO_RULE_SERVICES and requirement.text.strip().lower().startswith("pas foto")
