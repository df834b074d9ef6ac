"""The deeds' (akta tanah) query budgets: staff screens, acts, papers, reports, and the API.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.utils import timezone


from tests.support.budgets import PerRow, case, each, same
from loket.deeds.taxes import pbb_years

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- the deeds (akta tanah): cases of the office (with their pauses, kelurahan, register entry) ---
    "api/v1/deeds/cases/": {
        "GET (token)": 5,
        "GET (token, ?overdue=true&state=)": 5,
        # the checklist is written with one bulk insert, then ticked with one UPDATE per item
        # (loket.deeds.services._check), a fixed number: the service's requirements
        "POST (token, 201)": 26,
        "POST (token, invalid, 400)": 8,
    },
    # parties, checklist items, tax proofs, pauses, history of the case
    "api/v1/deeds/cases/<code>/": {"GET (token)": 13, "GET (session)": 15},
    # the case's parties, items, proofs and history; other cases
    "api/v1/deeds/cases/<code>/<action>/": {
        "POST resubmit": 21,
        "POST forward": 19,
        "POST taxproof": 24,
        "POST certcheck": 19,
        "POST deliver": 20,
        "POST wait": 20,
        "POST resume": 20,
        "POST validate": 22,
        "POST schedule": 25,  # the office's holidays of the sidang's year
        "POST sign": 25,  # the SK PPAT Sementara (authorised, then kept), the certificate check; the delivery deadline's holidays  # run at each sidang's own time, far apart: the token's last use is written (at most once a minute)
        "POST register": 25,
        "POST handover": 20,
        "POST withdraw": 22,
    },
    "api/v1/deeds/fee/": {"POST (token)": 5, "POST (token, above the cap, 400)": 5},  # cases of the office
    "api/v1/deeds/calendar/": {"GET (token)": 3},  # sidang of the range
    # the deeds' staff screens (/staf/akta/)
    "staf/akta/": {"GET (front office)": 15},  # the rate; cases of the office, the user's work list, the overdue ones, the deeds not delivered
    "staf/akta/baru/": {  # cases of the office; requirements of service 17 (the checklist)
        "GET": 8,
        "POST (fee quote)": 12,
        "POST (saved, redirect)": 19,
        "POST (invalid, 400)": 15,
    },
    "staf/akta/kalender/": {"GET": 5},  # sidang of the two weeks
    "staf/akta/tarif/": {"POST (redirect)": 10},  # the office's setting, the edition's service 17
    "staf/akta/laporan/": {"GET": 7},  # deeds registered in the month
    "staf/akta/laporan.xlsx": {"GET": 7},  # deeds registered in the month
    "staf/akta/laporan.pdf": {"GET": 7},  # deeds registered in the month
    "staf/akta/penyampaian/": {"GET": 7},  # deeds signed in the month (one holiday look-up)
    "staf/akta/penyampaian.xlsx": {"GET": 7},  # deeds signed in the month (one holiday look-up)
    "staf/akta/penyampaian.pdf": {"GET": 7},  # deeds signed in the month (one holiday look-up)
    "staf/akta/<str:code>/": {"GET": 17},  # parties, checklist, proofs, pauses, history of the case
    "staf/akta/<str:code>/kertas/<slug:paper>.pdf": {"GET tanda-terima": 10, "GET sampul": 9},  # parties of the case; the PPAT named (offices.signers)
    "staf/akta/<str:code>/<slug:action>/": {  # the case's history; other cases
        "POST resubmit": 16,  # the checklist ticked in one bulk UPDATE
        "POST forward": 14,
        "POST taxproof": 19,
        "POST certcheck": 14,
        "POST deliver": 14,
        "POST wait": 15,
        "POST resume": 15,
        "POST validate": 17,
        "POST schedule": 20,  # the office's holidays of the sidang's year
        "POST sign": 18,
        "POST register": 19,
        "POST handover": 14,
        "POST withdraw": 17,
    },
}


# --- the deeds (akta tanah) -------------------------------------------------------------------------

def _deed_actors(w) -> dict:
    """Service 17 added to the mini office (tests/api/test_deed_api.mini_deeds); the accounts
    that act on deeds there."""
    from tests.support.deeds import mini_deeds

    mini_deeds(w.office)
    return {"front": w.people["front"], "ppat": w.people["ppat"], "validator": w.people["kasi"],
            "camat": w.people["camat"]}


def _deed_case(w, state: str, data: dict | None = None, **kw):
    from tests.support.deeds import deed_case

    return deed_case(w.office, _deed_actors(w), state, data, **kw)


def _deed_cases(w, n: int, *states: str) -> list:
    """n more cases, their states taken in turn from ``states``."""
    return [_deed_case(w, states[i % len(states)]) for i in range(n)]


def _heirs(n: int) -> dict:
    """A waris in the mini office: the late owner and n heirs with equal shares, each a NIK."""
    from tests.support.deeds import mini_sale

    parties = [{"role": "pewaris", "name": "Sarno (alm.)", "nik": "3577010101509999"}]
    parties += [{"role": "ahli_waris", "name": f"Ahli Waris {i}", "nik": f"357701010190{i + 1:04d}",
                 "address": f"Jl. Salak {i}", "share": f"1/{n}"} for i in range(n)]
    return mini_sale(deed_kind="pembagian", cause="warisan", land_title="shm", land_reference="SHM No. 789", value=90_000_000,
                     parties=parties)


def _deed_detail_case(w, n: int):
    """A waris with n heirs, paused and resumed n times (two history rows and a pause each),
    with its tax proofs, validated and scheduled (its sidang shown)."""
    from loket.deeds import services as deed_services
    from tests.support.deeds import sidang_form, sidang_slot

    actors = _deed_actors(w)
    case = _deed_case(w, "preparing", _heirs(n), taxed=True)
    for i in range(n):
        deed_services.case_wait(code=case.code, actor=actors["ppat"], reason=f"Kekurangan {i}.")
        deed_services.case_resume(code=case.code, actor=actors["ppat"], note=f"Lengkap {i}.")
    deed_services.case_validate(code=case.code, actor=actors["validator"])
    deed_services.signing_schedule(code=case.code, actor=actors["ppat"], data=sidang_form(sidang_slot(w.office)))
    return case


@case("api/v1/deeds/cases/", "GET (token)", rows=True)
def _(w, n):
    _deed_cases(w, n, "received", "waiting", "returned", "registered")
    return same(lambda: w.client.get("/api/v1/deeds/cases/", **w.token("front")))


@case("api/v1/deeds/cases/", "GET (token, ?overdue=true&state=)", rows=True)
def _(w, n):
    from tests.support.deeds import at

    with at(timezone.now() - dt.timedelta(days=30)):  # received 30 days ago: past the 14-day target
        _deed_cases(w, n, "received", "preparing")
    _deed_cases(w, 2, "received")  # on time: not listed
    return same(lambda: w.client.get("/api/v1/deeds/cases/?overdue=true&state=received", **w.token("ppat")))


def _deed_intake(w, **over) -> dict:
    from tests.support.deeds import all_items, mini_sale

    items = all_items(w.office)
    return {**mini_sale(**over), "present": items, "originals": items}


@case("api/v1/deeds/cases/", "POST (token, 201)", 201)
def _(w, n):
    _deed_cases(w, n, "received")
    body = _deed_intake(w)
    return same(lambda: w.client.post("/api/v1/deeds/cases/", body, content_type="application/json",
                                      **w.token("front")))


@case("api/v1/deeds/cases/", "POST (token, invalid, 400)", 400)
def _(w, n):
    _deed_cases(w, n, "received")
    body = _deed_intake(w, nop="123", fee=10 ** 9)
    return same(lambda: w.client.post("/api/v1/deeds/cases/", body, content_type="application/json",
                                      **w.token("front")))


@case("api/v1/deeds/cases/<code>/", "GET (token)", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    return same(lambda: w.client.get(f"/api/v1/deeds/cases/{c.code}/", **w.token("ppat")))


@case("api/v1/deeds/cases/<code>/", "GET (session)", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    w.login("sekcam")  # NIKs masked
    return same(lambda: w.client.get(f"/api/v1/deeds/cases/{c.code}/"))


# action: (state of the case acted on, who acts, body)
DEED_ACTS = {
    "resubmit": ("returned", "front", None),
    "forward": ("received", "front", {}),
    "taxproof": ("preparing", "ppat", None),
    "certcheck": ("preparing", "ppat", {"checked_on": "2026-01-05", "result": "sesuai"}),
    "wait": ("preparing", "ppat", {"reason": "SPPT PBB belum dibawa."}),
    "resume": ("waiting", "ppat", {"note": "Sudah dibawa."}),
    "validate": ("preparing", "kasi", {}),
    "schedule": ("validated", "ppat", None),
    "sign": ("scheduled", "camat", {}),
    "register": ("signed", "ppat", {}),
    "handover": ("registered", "ppat", {"to": "Budi Santoso"}),
    "deliver": ("registered", "ppat", None),
    "withdraw": ("received", "ppat", {"reason": "Para pihak membatalkan."}),
}


def _deed_act_case(action):
    state, role, body = DEED_ACTS[action]

    @case("api/v1/deeds/cases/<code>/<action>/", f"POST {action}")
    def _(w, n):
        from loket.deeds.models import Signing
        from tests.support.deeds import all_items, at, sidang_form, sidang_slot

        _deed_cases(w, n, "received", "preparing")
        headers = w.token(role)

        def target():
            c = _deed_case(w, state, taxed=action == "validate")
            data = body
            if action == "resubmit":
                data = {"present": all_items(w.office), "originals": all_items(w.office)}
            elif action == "taxproof":
                data = {"kind": "pbb", "year": pbb_years(c)[0], "number": "STTS-1", "amount": 250_000,
                        "paid_on": timezone.localdate().isoformat()}
            elif action == "schedule":
                data = sidang_form(sidang_slot(w.office))
            elif action == "deliver":
                data = {"delivered_on": timezone.localdate(c.signed_at).isoformat(), "receipt": "TT-1"}
            when = None
            if action == "sign":
                when = Signing.objects.get(case=c, cancelled=False).starts_at + dt.timedelta(minutes=5)
            return c, data, when

        def send(t):
            c, data, when = t
            with at(when) if when else contextlib.nullcontext():
                r = w.client.post(f"/api/v1/deeds/cases/{c.code}/{action}/", data, content_type="application/json",
                                  **headers)
            assert r.status_code != 200 or r.json()["state"] != state or action in ("taxproof", "certcheck", "deliver"), "the act did not happen"
            return r

        return each(target, send)


for _action in DEED_ACTS:
    _deed_act_case(_action)


@case("api/v1/deeds/fee/", "POST (token)")
def _(w, n):
    _deed_cases(w, n, "received")
    return same(lambda: w.client.post("/api/v1/deeds/fee/", {"value": 150_000_000, "fee": 1_000_000},
                                      content_type="application/json", **w.token("front")))


@case("api/v1/deeds/fee/", "POST (token, above the cap, 400)", 400)
def _(w, n):
    _deed_cases(w, n, "received")
    return same(lambda: w.client.post("/api/v1/deeds/fee/", {"value": 100_000_000, "fee": 2_000_000},
                                      content_type="application/json", **w.token("front")))


@case("api/v1/deeds/calendar/", "GET (token)", rows=True)
def _(w, n):
    _deed_cases(w, n, "scheduled")
    start = timezone.localdate()
    query = f"?from={start}&to={start + dt.timedelta(days=61)}"
    return same(lambda: w.client.get(f"/api/v1/deeds/calendar/{query}", **w.token("camat")))


# the deeds' staff screens

def _deed_registered(w, n: int, data: dict | None = None):
    """A case (with n heirs when ``data`` is None: _heirs(n)) signed at its sidang, then written in
    the Buku Register PPAT; and the month (YYYY-MM) of its register entry."""
    from loket.deeds import services as deed_services
    from loket.deeds.models import Signing
    from tests.support.deeds import at

    actors = _deed_actors(w)
    c = _deed_detail_case(w, n) if data is None else _deed_case(w, "scheduled", data)
    starts = Signing.objects.get(case=c, cancelled=False).starts_at
    from tests.deeds.conftest import certificate_checked

    certificate_checked(c, actors["ppat"])
    with at(starts + dt.timedelta(minutes=5)):
        deed_services.case_sign(code=c.code, actor=actors["camat"])
    with at(starts + dt.timedelta(minutes=10)):
        c = deed_services.case_register(code=c.code, actor=actors["ppat"])
    return c, f"{timezone.localtime(c.register_entry.entered_at):%Y-%m}"


def _deed_form(w, **over) -> dict:
    """The intake page's form: the parties as rows p0-…, p1-…"""
    body = _deed_intake(w, **over)
    form = {k: v for k, v in body.items() if k not in ("parties", "present", "originals", "fee_free")}
    for i, party in enumerate(body["parties"]):
        form.update({f"p{i}-{k}": v for k, v in party.items()})
    return {**form, "present": body["present"], "original": body["originals"], "aksi": "simpan"}


@case("staf/akta/", "GET (front office)", rows=True)
def _(w, n):
    _deed_cases(w, n, "received", "returned", "waiting")
    w.login("front")
    return same(lambda: w.client.get("/staf/akta/"))


@case("staf/akta/baru/", "GET")
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.get("/staf/akta/baru/"))


@case("staf/akta/baru/", "POST (fee quote)")
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.post("/staf/akta/baru/", {**_deed_form(w), "aksi": "uang-jasa"}))


@case("staf/akta/baru/", "POST (saved, redirect)", 302)
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.post("/staf/akta/baru/", _deed_form(w)))


@case("staf/akta/baru/", "POST (invalid, 400)", 400)
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.post("/staf/akta/baru/", _deed_form(w, nop="123")))


@case("staf/akta/kalender/", "GET", rows=True)
def _(w, n):
    from loket.deeds.models import Signing

    cases = _deed_cases(w, n, "scheduled")
    first = min(timezone.localtime(s.starts_at).date() for s in Signing.objects.filter(case__in=cases))
    w.login("camat")
    return same(lambda: w.client.get(f"/staf/akta/kalender/?dari={first}"))


@case("staf/akta/tarif/", "POST (redirect)", 302)
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("camat")
    return same(lambda: w.client.post("/staf/akta/tarif/", {"fee_rate": "0.5"}))


def _deed_report_case(route, path):
    @case(route, "GET", rows=True)
    def _(w, n):
        import collections

        w._deed_months = getattr(w, "_deed_months", []) + [_deed_registered(w, 1, _heirs(1 + i % 3))[1]
                                                             for i in range(n)]
        # the month holding most deeds (the sidang are days ahead: near a month's end they may spill over)
        month = collections.Counter(w._deed_months).most_common(1)[0][0]
        w.login("ppat")
        return same(lambda: w.client.get(f"{path}?bulan={month}"))


_deed_report_case("staf/akta/laporan/", "/staf/akta/laporan/")


_deed_report_case("staf/akta/laporan/", "/staf/akta/laporan/")
_deed_report_case("staf/akta/laporan.xlsx", "/staf/akta/laporan.xlsx")


_deed_report_case("staf/akta/laporan.xlsx", "/staf/akta/laporan.xlsx")
_deed_report_case("staf/akta/laporan.pdf", "/staf/akta/laporan.pdf")
_deed_report_case("staf/akta/penyampaian/", "/staf/akta/penyampaian/")
_deed_report_case("staf/akta/penyampaian.xlsx", "/staf/akta/penyampaian.xlsx")
_deed_report_case("staf/akta/penyampaian.pdf", "/staf/akta/penyampaian.pdf")


@case("staf/akta/<str:code>/", "GET", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    w.login("ppat")
    return same(lambda: w.client.get(f"/staf/akta/{c.code}/"))


@case("staf/akta/<str:code>/kertas/<slug:paper>.pdf", "GET tanda-terima", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/akta/{c.code}/kertas/tanda-terima.pdf"))


@case("staf/akta/<str:code>/kertas/<slug:paper>.pdf", "GET sampul", rows=True)
def _(w, n):
    c, _ = _deed_registered(w, n)
    w.login("ppat")
    return same(lambda: w.client.get(f"/staf/akta/{c.code}/kertas/sampul.pdf"))


def _deed_web_act_case(action):
    state, role, body = DEED_ACTS[action]

    @case("staf/akta/<str:code>/<slug:action>/", f"POST {action}", 302)
    def _(w, n):
        from loket.deeds.models import Case as DeedCase, Signing
        from tests.support.deeds import all_items, at, sidang_form, sidang_slot

        _deed_cases(w, n, "received", "preparing")
        w.login(role)
        if action == "sign":  # the clock moves to the sidang, days ahead: keep the session alive there
            session = w.client.session
            session.set_expiry(30 * 24 * 3600)
            session.save()

        def target():
            c = _deed_case(w, state, taxed=action == "validate")
            data = body
            if action == "resubmit":
                data = {"present": all_items(w.office), "original": all_items(w.office)}
            elif action == "taxproof":
                data = {"kind": "pbb", "year": str(pbb_years(c)[0]), "number": "STTS-1",
                        "amount": "250.000", "paid_on": timezone.localdate().isoformat()}
            elif action == "schedule":
                data = {**sidang_form(sidang_slot(w.office)), "minutes": "60"}
            elif action == "deliver":
                data = {"delivered_on": timezone.localdate(c.signed_at).isoformat(), "receipt": "TT-1"}
            when = None
            if action == "sign":
                when = Signing.objects.get(case=c, cancelled=False).starts_at + dt.timedelta(minutes=5)
            return c, data, when

        def send(t):
            c, data, when = t
            with at(when) if when else contextlib.nullcontext():
                r = w.client.post(f"/staf/akta/{c.code}/{action}/", data)
            assert DeedCase.objects.get(pk=c.pk).state != state or action in ("taxproof", "certcheck", "deliver"), "the act did not happen"
            return r

        return each(target, send)


for _action in DEED_ACTS:
    _deed_web_act_case(_action)
