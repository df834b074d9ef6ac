"""The deeds' (akta tanah) rows of the authorization matrix: staff screens, and the acts on a
case through the web and the API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from loket.deeds.models import Case as DeedCase
from loket.deeds.models import Signing
from loket.deeds.models import Transition as DeedTransition
from tests.support import deeds
from tests.support.authz import API, PAGE, POST403, STAFF
from tests.support.authz import Entry, builder, r, subject


# Deeds (loket/deeds/services.py): (state of the case, roles past the permission layer, roles
# for whom the act goes through there). The validator is the Kasi Pemerintahan ("kasi"); the
# Kasi of another unit is refused like a wrong role. The Camat may sign only once the sidang has
# begun: on a case scheduled for a later day he gets 409 ("Sidang baru dimulai …").
DEED_ACT_RULES = {
    "resubmit": ("returned", {"front"}, {"front"}),
    "forward": ("received", {"front"}, {"front"}),
    "taxproof": ("preparing", {"ppat"}, {"ppat"}),  # records a proof; the state stays
    "certcheck": ("preparing", {"ppat"}, {"ppat"}),  # records the land office's check; the state stays
    "wait": ("preparing", {"ppat"}, {"ppat"}),
    "resume": ("waiting", {"ppat"}, {"ppat"}),
    "validate": ("preparing", {"kasi"}, {"kasi"}),
    "schedule": ("validated", {"ppat"}, {"ppat"}),
    "sign": ("scheduled", {"camat"}, set()),
    "register": ("signed", {"ppat"}, {"ppat"}),
    "handover": ("registered", {"ppat"}, {"ppat"}),
    "deliver": ("registered", {"ppat"}, {"ppat"}),  # the land office's receipt; the state stays
    "withdraw": ("received", {"front", "ppat"}, {"front", "ppat"}),
}
DEED_STAFF_ACTS_KEEPING_STATE = {"taxproof", "certcheck", "deliver"}


def _deed_act_data(action):
    def data(w):
        return {
            "resubmit": lambda: {"present": deeds.all_items(w.office), "originals": deeds.all_items(w.office)},
            "taxproof": lambda: {"kind": "pbb", "year": deeds.deed_services.pbb_years(w.deed_case("preparing"))[0],
                                 "number": "STTS-2", "paid_on": timezone.localdate().isoformat(), "amount": 300_000},
            "certcheck": lambda: {"checked_on": timezone.localdate().isoformat(), "result": "sesuai"},
            "deliver": lambda: {"delivered_on": timezone.localdate(w.deed_case("registered").signed_at).isoformat(),
                                "receipt": "TT-BPN/1"},
            "wait": lambda: {"reason": "SPPT PBB belum dibawa."},
            "resume": lambda: {"note": "Sudah dibawa."},
            "schedule": lambda: deeds.sidang_form(deeds.sidang_slot(w.office)),
            "handover": lambda: {"to": "Budi Santoso"},
            "withdraw": lambda: {"reason": "Para pihak membatalkan."},
        }.get(action, dict)()
    return data


def _deed_url(name, state="received", **extra):
    return lambda w: reverse(name, kwargs={"code": w.deed_case(state).code, **extra})


def _deed_intake(w):
    deeds.mini_deeds(w.office)
    items = deeds.all_items(w.office)
    return {**deeds.mini_sale(), "present": items, "originals": items}


def _deed_web_data(action):
    """The web form of each act (the detail page's forms): the checklist ticks are ``present``
    and ``original``, the sidang's start comes from a datetime-local input."""
    def data(w):
        if action == "resubmit":
            return {"present": deeds.all_items(w.office), "original": deeds.all_items(w.office)}
        form = _deed_act_data(action)(w)
        if action == "schedule":
            form = {**form, "starts_at": form["starts_at"].replace(" ", "T"), "minutes": str(form["minutes"])}
        return {k: str(v) for k, v in form.items()}
    return data


def _deed_form(w):
    """The intake form as the page posts it: the parties as rows p0-…, p1-…"""
    body = _deed_intake(w)
    form = {k: v for k, v in body.items() if k not in ("parties", "present", "originals")}
    for i, party in enumerate(body["parties"]):
        form.update({f"p{i}-{k}": v for k, v in party.items()})
    return {**form, "present": body["present"], "original": body["originals"], "aksi": "simpan"}


def _deed_detail_of(state):
    return lambda who, w: reverse("deeds:detail", kwargs={"code": w.deed_case(state).code})


def _deed_calendar_url(w):
    day = timezone.localtime(Signing.objects.get(case=w.deed_case("scheduled"), cancelled=False).starts_at).date()
    return reverse("api:deed_calendar") + f"?from={day}&to={day + dt.timedelta(days=6)}"


@builder
def deed_case(w, state: str = "received") -> DeedCase:
    """A deed case (akta jual beli) of the mini office, which is given the bundled standard's
    service 17 first, brought to ``state`` through the real acts. A case preparing has its
    tax proofs already, so that the Kasi Pemerintahan can validate it."""
    if ("d", state) not in w.made:
        deeds.mini_deeds(w.office)
        actors = {"front": w.people["front"], "ppat": w.people["ppat"], "validator": w.people["kasi"],
                  "camat": w.people["camat"]}
        w.made[("d", state)] = deeds.deed_case(w.office, actors, state, taxed=True)
    return w.made[("d", state)]


subject("deed", model=DeedCase, get=lambda w, state: w.deed_case(state),
        history=lambda case: DeedTransition.objects.filter(case=case).count(),
        keeps_state=frozenset(DEED_STAFF_ACTS_KEEPING_STATE))


ROWS: list[Entry] = [
    # --- the deeds: staff screens (every role looks; intake is the front office's; the acts decide) ---
    Entry("deeds:list", "GET", PAGE, STAFF, lambda w: (w.deed_case(), reverse("deeds:list"))[1]),
    Entry("deeds:new", "GET", PAGE, frozenset({"front"}), lambda w: (deeds.mini_deeds(w.office), reverse("deeds:new"))[1]),
    Entry("deeds:new", "POST", POST403, frozenset({"front"}), r("deeds:new"), ok=302, data=_deed_form,
          ok_location=lambda who, w: reverse("deeds:detail", kwargs={"code": DeedCase.objects.latest("pk").code})),
    Entry("deeds:calendar", "GET", PAGE, STAFF, lambda w: (w.deed_case("scheduled"), reverse("deeds:calendar"))[1]),
    Entry("deeds:fee_rate", "POST", POST403, frozenset({"camat", "admin"}), r("deeds:fee_rate"), ok=302,
          data=lambda w: (deeds.mini_deeds(w.office), {"fee_rate": "0.5"})[1],
          ok_location=lambda who, w: reverse("deeds:list")),
    Entry("deeds:report", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:report"))[1]),
    Entry("deeds:report_xlsx", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:report_xlsx"))[1]),
    Entry("deeds:report_pdf", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:report_pdf"))[1]),
    Entry("deeds:delivery", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:delivery"))[1]),
    Entry("deeds:delivery_xlsx", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:delivery_xlsx"))[1]),
    Entry("deeds:delivery_pdf", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:delivery_pdf"))[1]),
    Entry("deeds:detail", "GET", PAGE, STAFF, _deed_url("deeds:detail")),
    Entry("deeds:paper", "GET", PAGE, STAFF, _deed_url("deeds:paper", paper="tanda-terima"), variant="tanda-terima"),
    Entry("deeds:paper", "GET", PAGE, STAFF, _deed_url("deeds:paper", "registered", paper="sampul"), variant="sampul"),
    # a refused role: PermissionDenied straight through (403); an allowed role in the wrong state
    # (the Camat before the sidang has begun): a message and back to the case
    *[
        Entry("deeds:act", "POST", POST403, frozenset(roles), _deed_url("deeds:act", state, action=action), ok=302,
              variant=action, data=_deed_web_data(action), state=state, succeeds=frozenset(ok), subject="deed",
              ok_location=_deed_detail_of(state), conflict="Sidang baru dimulai" if action == "sign" else "berstatus")
        for action, (state, roles, ok) in DEED_ACT_RULES.items()
    ],
    # --- API, deeds (every role of the office reads; the acts decide who may do) ---------------
    Entry("api:deed_cases", "GET", API, STAFF, lambda w: (w.deed_case(), reverse("api:deed_cases"))[1]),
    Entry("api:deed_cases", "POST", API, frozenset({"front"}), r("api:deed_cases"), ok=201, data=_deed_intake),
    Entry("api:deed_case", "GET", API, STAFF, _deed_url("api:deed_case")),
    Entry("api:deed_fee", "POST", API, STAFF, lambda w: (deeds.mini_deeds(w.office), reverse("api:deed_fee"))[1],
          data=lambda w: {"value": 150_000_000}),
    Entry("api:deed_calendar", "GET", API, STAFF, _deed_calendar_url),
    *[
        Entry("api:deed_case_act", "POST", API, frozenset(roles), _deed_url("api:deed_case_act", state, action=action),
              variant=action, data=_deed_act_data(action), state=state, succeeds=frozenset(ok), subject="deed",
              conflict="Sidang baru dimulai" if action == "sign" else "berstatus")
        for action, (state, roles, ok) in DEED_ACT_RULES.items()
    ],
]
