"""A registered paper's facts never change: each dossier keeps the applicant's data as given at
its own intake (Dossier.applicant_*), and a later intake for the same NIK — with another
spelling of the name, another address, telephone or KK, even an incomplete one — changes
nothing that shows or prints the earlier dossier: the public verification page and its API,
the receipt, the register line and the Buku Register screen and exports, the staff screens
(work list, search, detail) and the staff API.

The person record (Applicant) is still refreshed by every intake: it is for looking people up,
and nothing that shows a dossier reads it (the last test says so from the templates and code)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from loket.api.models import ApiToken
from loket.core import codes
from loket.dossiers import selectors, services
from loket.dossiers.models import Applicant, Dossier
from loket.dossiers.selectors import mask_name
from tests.support.pdf import text_of
from tests.factories import applicant_data

S = Dossier.State
FIRST = applicant_data()  # Siti Aminah, Jl. Contoh 1, RT 001/RW 002, kelurahan 35.77.09.1001
# The same person (same NIK, birth date and sex) at a later intake: a typo in the name, and
# another address, telephone, KK and kelurahan (nobody of that kelurahan: an outsider).
LATER = applicant_data(name="Sitti Aminnah Typo", address="Jl. Lain 99", rt="7", rw="8", kelurahan="",
                       phone="089999999999", kk_number="3577019999999999", marital_status="cerai_hidup")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # public look-ups are rate-limited per address


def _through(d: Dossier, people, *steps) -> Dossier:
    for fn, who in steps:
        d = fn(code=d.code, actor=people[who])
    return d


def _registered(office, people, items, applicant=None) -> Dossier:
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant or FIRST,
                                actor=people["front"], present=items, originals=items)
    return _through(d, people, (services.dossier_forward, "front"), (services.dossier_initial, "kasi"),
                    (services.dossier_sign, "camat"), (services.dossier_register, "front"))


def _later_intake(office, people, items, *, complete: bool) -> Dossier:
    present = items if complete else []
    d = services.dossier_intake(office=office, service_code="pindah", applicant=LATER, actor=people["front"],
                                present=present, originals=present)
    assert d.state == (S.RECEIVED if complete else S.RETURNED)
    return d


def _row_of(page: str, code: str) -> str:
    """The <tr> of the work list / search result that links to the dossier ``code``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    mine = [r for r in rows if f"/staf/berkas/{code}/" in r]
    assert len(mine) == 1, page
    return mine[0]


def _stable(html: str) -> str:
    """A page without what changes from one request to the next: the CSRF token (64 letters
    and digits), the single-use form tokens and the running clock's text."""
    html = re.sub(r'name="once" value="[^"]*"', 'name="once"', html)
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", html)
    return re.sub(r'(<(strong|span) class="clock[^>]*>)[^<]*', r"\1", html)


def _everything_shown(client, d: Dossier, people) -> dict:
    """What every reader of dossier ``d`` gets, as text to compare."""
    d.refresh_from_db()
    client.force_login(people["front"])
    shown = {
        "detail": _stable(client.get(reverse("dossiers:detail", args=[d.code])).content.decode()),
        "today": _stable(_row_of(client.get(reverse("dossiers:today")).content.decode(), d.code)),
        # by the NIK (an exact code opens the dossier instead of listing it): every dossier of the person
        "search": _stable(_row_of(client.get(reverse("dossiers:search") + f"?q={d.applicant_nik}").content.decode(),
                                  d.code)),
        "receipt": text_of(client.get(reverse("dossiers:paper", args=[d.code, "tanda-terima"])).content),
        "book": _stable(client.get(reverse("registers:book")).content.decode()),
        "pdf": text_of(client.get(reverse("registers:export_pdf")).content),
        "verify": _stable(client.get(reverse("verify_detail", args=[d.verification_code])).content.decode()),
    }
    xlsx = client.get(reverse("registers:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).active
    shown["xlsx"] = [row for row in sheet.iter_rows(values_only=True) if row and codes.display(d.code) in row]
    token = ApiToken.issue(user=people["front"], name="facts")[1]
    api = client.get(reverse("api:dossier_detail", args=[d.code]), HTTP_AUTHORIZATION=f"Bearer {token}").json()
    shown["api"] = {k: v for k, v in api.items() if k not in ("elapsed_minutes", "breached")}
    shown["api_verify"] = client.get(reverse("api:verify", args=[d.verification_code])).json()
    return shown


def _assert_first_facts(shown: dict) -> None:
    """Every reader shows the first intake's data, and none of the later intake's."""
    masked = mask_name(FIRST["name"])
    assert shown["api"]["applicant_name"] == FIRST["name"]
    assert shown["api_verify"]["name"] == masked
    assert f"<dd>{masked}</dd>" in shown["verify"]
    assert masked in shown["receipt"]
    assert FIRST["name"] in shown["today"] and FIRST["name"] in shown["search"]
    for page in ("detail", "book", "pdf"):
        assert FIRST["name"] in shown[page], page
    assert shown["xlsx"] and shown["xlsx"][0][2] == FIRST["name"]
    for text in (FIRST["kk_number"], FIRST["phone"], "Jl. Contoh 1 RT 001/RW 002, Satu", "Kawin"):
        assert text in shown["detail"], text
    for page in ("detail", "today", "search", "receipt", "book", "pdf", "verify"):
        for later in (LATER["name"], mask_name(LATER["name"]), LATER["address"], LATER["phone"], LATER["kk_number"]):
            assert later not in shown[page], (page, later)


@pytest.mark.parametrize("complete", [True, False], ids=["complete", "incomplete"])
def test_a_later_intake_for_the_same_nik_changes_nothing_a_registered_paper_shows(
    complete, client, office, people, all_items,
):
    first = _registered(office, people, all_items)
    before = _everything_shown(client, first, people)
    _assert_first_facts(before)

    _later_intake(office, people, all_items, complete=complete)
    # the person record did follow the later intake (it is the look-up of the last visit) ...
    assert Applicant.objects.get(office=office, nik=FIRST["nik"]).name == LATER["name"]
    # ... and nothing that shows or prints the first dossier moved
    after = _everything_shown(client, first, people)
    assert after == before
    _assert_first_facts(after)


def test_a_later_intake_before_registration_does_not_reach_the_first_dossiers_register_line(
    client, office, people, all_items,
):
    first = services.dossier_intake(office=office, service_code="pindah", applicant=FIRST, actor=people["front"],
                                    present=all_items, originals=all_items)
    _later_intake(office, people, all_items, complete=False)
    first = _through(first, people, (services.dossier_forward, "front"), (services.dossier_initial, "kasi"),
                     (services.dossier_sign, "camat"), (services.dossier_register, "front"))
    entry = first.register_entry
    assert (entry.name, entry.nik, entry.kelurahan) == (FIRST["name"], FIRST["nik"], "Satu")
    _assert_first_facts(_everything_shown(client, first, people))


def test_each_dossier_of_one_person_keeps_its_own_data(office, people, all_items):
    first = services.dossier_intake(office=office, service_code="pindah", applicant=FIRST, actor=people["front"],
                                    present=all_items, originals=all_items)
    later = _later_intake(office, people, all_items, complete=True)
    first.refresh_from_db()
    assert first.applicant_id == later.applicant_id  # one person ...
    assert (first.applicant_name, first.applicant_address, first.applicant_rt, first.applicant_kelurahan.code,
            first.applicant_phone, first.applicant_kk_number, first.applicant_marital_status) == (
        FIRST["name"], "Jl. Contoh 1", "001", "35.77.09.1001", FIRST["phone"], FIRST["kk_number"], "kawin")
    assert (later.applicant_name, later.applicant_address, later.applicant_rt, later.applicant_kelurahan,
            later.applicant_phone, later.applicant_kk_number) == (
        LATER["name"], "Jl. Lain 99", "007", None, LATER["phone"], LATER["kk_number"])  # ... two sets of facts


def test_the_staff_api_and_screens_of_an_open_dossier_keep_its_intake_data(client, office, people, all_items):
    """Not only registered papers: a dossier still at the counter shows what was taken in for it."""
    first = services.dossier_intake(office=office, service_code="pindah", applicant=FIRST, actor=people["front"],
                                    present=all_items, originals=all_items)
    _later_intake(office, people, all_items, complete=True)
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:detail", args=[first.code])).content.decode()
    assert FIRST["name"] in page and LATER["name"] not in page and LATER["phone"] not in page
    assert client.get(reverse("api:dossier_detail", args=[first.code])).json()["applicant_name"] == FIRST["name"]
    receipt = text_of(client.get(reverse("dossiers:paper", args=[first.code, "tanda-terima"])).content)
    assert mask_name(FIRST["name"]) in receipt and mask_name(LATER["name"]) not in receipt


def test_a_resubmission_changes_the_checklist_never_the_applicants_data(office, people, all_items):
    """Decision (docs/architecture.md): a returned dossier that comes back keeps its data; a
    different name or address at the second visit goes through dossier_correct, with a reason."""
    d = services.dossier_intake(office=office, service_code="pindah", applicant=FIRST, actor=people["front"],
                                present=[], originals=[])
    _later_intake(office, people, all_items, complete=False)  # the same person, another spelling, meanwhile
    row = Dossier.objects.filter(pk=d.pk).values().get()
    d = services.dossier_resubmit(code=d.code, actor=people["front"], present=all_items, originals=all_items)
    assert d.state == S.RECEIVED
    after = Dossier.objects.filter(pk=d.pk).values().get()
    assert {k: v for k, v in after.items() if k.startswith("applicant_")} == {
        k: v for k, v in row.items() if k.startswith("applicant_")}
    assert after["applicant_name"] == FIRST["name"] and not d.corrections.exists()


def test_verification_shows_the_name_the_register_line_recorded(office, people, all_items):
    d = _registered(office, people, all_items)
    data = selectors.verification_public(code=d.verification_code)
    assert data["name"] == mask_name(d.register_entry.name) == mask_name(FIRST["name"])


def test_nothing_that_shows_a_dossier_reads_the_person_record():
    """The person record is reached only by the intake (which refreshes it) and by a NIK
    correction (which moves the dossier to the right person). A template or a module that
    shows, prints or serves a dossier reading ``applicant.<field>`` or ``applicant__<field>``
    would bring the overwritten data back."""
    root = Path(__file__).resolve().parents[2] / "loket"
    pattern = re.compile(r"\bapplicant(\.|__)(nik|kk_number|name|birth_date|sex|marital_status|address|rt|rw|"
                         r"kelurahan|phone|email|get_)")
    readers = [*root.glob("templates/**/*.html"), *(root / "dossiers").glob("*.py"), *(root / "registers").glob("*.py"),
               *(root / "api").glob("*.py"), *(root / "surveys").glob("*.py")]
    offenders = [f"{p.relative_to(root)}: {m.group(0)}" for p in readers
                 for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders
