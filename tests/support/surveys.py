"""SKM (survey) helpers shared by the survey, API and once-only tests: paper forms as CSV lines
and their import, dossiers that can be surveyed, and the answers of the public form and the
kiosk."""

from __future__ import annotations

import time

import pytest

from loket.complaints import spam
from loket.dossiers import services as dossier_services
from loket.dossiers.models import Dossier
from loket.surveys import services
from loket.surveys.ikm import KEYS
from loket.surveys.importer import parse, read_cells
from tests.factories import applicant_data

HEADER = ",".join(KEYS) + ",tanggal,layanan,jenis_kelamin,umur,pendidikan,pekerjaan,saran"
ANSWERS = dict(zip(KEYS, [4, 3, 3, 4, 2, 4, 4, 1, 3]))
SECRET = "SARANRAHASIA"  # a suggestion that must not leak where suggestions are not shown


def line(answers, day, service="", sex="", age="", edu="", job="", saran=""):
    """One paper form as a CSV line under HEADER."""
    return ",".join(str(a) for a in answers) + f",{day},{service},{sex},{age},{edu},{job},{saran}"


def csv_of(lines) -> bytes:
    return (HEADER + "\n" + "\n".join(lines) + "\n").encode()


def import_lines(office, actor, lines):
    """Import paper forms through the real import act."""
    return services.responses_import(office=office, actor=actor, rows=parse(read_cells("x.csv", csv_of(lines))))


# Five paper forms: four of 2026, one of 2025.
FORMS_2026 = [
    line([4] * 9, "2026-01-10", "pindah", "L", "19", "SMA", "Wiraswasta", f"Cepat sekali {SECRET}"),
    line([3] * 9, "2026-02-10", "pindah", "P", "45", "sma ", "PNS", ""),
    line([2] * 8 + [""], "2026-06-30", "sewa-gedung", "P", "", "S1", "", "Parkir sempit"),
    line([3] * 9, "2026-06-01", "", "", "60", "", "", ""),
    line([1] * 9, "2025-12-31", "pindah", "L", "30", "", "", "Lama"),
]


@pytest.fixture
def forms(office, people):
    """Five paper forms: four in semester I 2026 (two 'pindah', one 'sewa-gedung' without the
    last answer, one without service), one in semester II 2025. IKM of semester I by hand:
    NRR 3 for eight elements, 10/3 for sarana → IKM 82/27 = 3,037 → unit 75,93 → C."""
    import_lines(office, people["front"], [
        line([4] * 9, "2026-01-10", "pindah", "L", "19", "SMA", "Wiraswasta", "Cepat sekali"),
        line([3] * 9, "2026-02-10", "pindah", "P", "45", "sma ", "PNS", ""),
        line([2] * 8 + [""], "2026-06-30", "sewa-gedung", "P", "", "S1", "", "=1+2"),
        line([3] * 9, "2026-06-01", "", "", "60", "", "", "Parkir <b>sempit</b>"),
        line([1] * 9, "2025-12-31", "pindah", "L", "30", "", "", "Lama"),
    ])


def taken_in(office, people, items) -> Dossier:
    """A complete 'pindah' intake (RECEIVED)."""
    return dossier_services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                           actor=people["front"], present=items, originals=items)


def handed_over(office, people, items) -> Dossier:
    """A dossier taken through every act to HANDED_OVER: the one the public SKM form accepts."""
    d = taken_in(office, people, items)
    for act, role in [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front"),
                      ("handover", "front")]:
        getattr(dossier_services, f"dossier_{act}")(code=d.code, actor=people[role])
    d = Dossier.objects.get(pk=d.pk)
    assert d.state == Dossier.State.HANDED_OVER
    return d


def form_answers(**over):
    """A valid post of the public SKM form (with the spam stamp of a form rendered 10 s ago)."""
    data = {k: str(v) for k, v in ANSWERS.items()}
    data.update({"jenis_kelamin": "P", "umur": "34", "pendidikan": "SMA", "pekerjaan": "Wiraswasta",
                 "saran": "Antrean sudah cepat.", spam.STAMP_FIELD: spam.stamp_new(at=time.time() - 10),
                 spam.HONEYPOT_FIELD: ""})
    data.update(over)
    return data


def kiosk_answers(**over):
    """A valid post of the kiosk form at the counter."""
    data = {k: str(v) for k, v in ANSWERS.items()}
    data.update({"layanan": "pindah", "jenis_kelamin": "L", "umur": "41", "pendidikan": "SMP",
                 "pekerjaan": "Petani", "saran": "Kursi tunggu ditambah."})
    data.update(over)
    return data
