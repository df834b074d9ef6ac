"""Service-specific rules from the signed standard, as code with tests.

Each rule looks at the applicant (and the answers) and returns field → message for what the
standard does not allow, with the reason stated so the clerk can explain it.
"""

from __future__ import annotations

import datetime as dt

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
