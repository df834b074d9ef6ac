"""The data-subject requests' rows of the authorization matrix (UU 27/2022 Pasal 30, 32, 41-44, 10):
the front office, the Sekcam, the Camat and the data protection officer read and record requests;
the officer and the Camat answer and refuse them (``policy.REQUEST_ACTS``). In the mini office the
officer is the Kasi of the general unit (``kasi_other``), as in the breach rows; anyone else gets
403, another office's code 404.

The engine and the kinds of rows: tests/support/authz.py; how to add a row: tests/support/README.md."""

from __future__ import annotations

from django.urls import reverse

from loket.privacy import requests
from loket.privacy.models import Officer, Request, RequestStep
from tests.support.authz import API, PAGE, POST403, Entry, builder, subject

READERS = frozenset({"front", "sekcam", "camat", "kasi_other"})
HANDLERS = frozenset({"camat", "kasi_other"})
RECEIVED = Request.State.RECEIVED
FORM = {"kind": "akses", "nik": "3577014508900001", "name": "Siti Aminah", "contact": "081234567890",
        "identity": "ktp", "identity_note": "", "details": "Minta salinan data saya."}
ACTS = {"answer": {"answer": "Salinan diserahkan."}, "refuse": {"ground": "pasal33b", "reason": "Memuat data orang lain."}}


def _officer(w) -> None:
    Officer.objects.get_or_create(office=w.office, defaults={
        "user": w.people["kasi_other"], "name": "Pejabat PDP", "position": "Kasubbag Umum", "telephone": "0351"})


@builder
def privacy_request(w, state: str = RECEIVED) -> Request:
    """An access request recorded by the front office, answered by the Camat for ``dijawab``."""
    _officer(w)
    if ("privacy_request", state) not in w.made:
        r = requests.request_record(office=w.office, actor=w.people["front"], **FORM)
        if state == Request.State.ANSWERED:
            r = requests.request_answer(code=r.code, actor=w.people["camat"], answer="Sudah.")
        w.made[("privacy_request", state)] = r
    return w.made[("privacy_request", state)]


subject("privacy_request", model=Request, get=lambda w, state: w.privacy_request(state),
        history=lambda r: RequestStep.objects.filter(request=r).count())


def _url(name, **extra):
    return lambda w: reverse(name, kwargs={"code": w.privacy_request().code, **extra})


def _with_officer(name):
    return lambda w: (_officer(w), reverse(name))[1]


def _detail(who, w) -> str:
    return reverse("privacy:request_detail", kwargs={"code": w.privacy_request().code})


ROWS: list[Entry] = [
    Entry("privacy:requests", "GET", PAGE, READERS, _with_officer("privacy:requests")),
    Entry("privacy:request_new", "GET", PAGE, READERS, _with_officer("privacy:request_new")),
    Entry("privacy:request_new", "POST", POST403, READERS, _with_officer("privacy:request_new"), ok=302,
          data=lambda w: dict(FORM),
          ok_location=lambda who, w: reverse("privacy:request_detail", kwargs={"code": Request.objects.latest("pk").code})),
    Entry("privacy:request_detail", "GET", PAGE, READERS, _url("privacy:request_detail")),
    *[Entry(f"privacy:request_{act}", "GET", PAGE, HANDLERS, _url(f"privacy:request_{act}")) for act in ACTS],
    *[Entry(f"privacy:request_{act}", "POST", POST403, HANDLERS, _url(f"privacy:request_{act}"), ok=302,
            data=lambda w, d=data: dict(d), state=RECEIVED, succeeds=HANDLERS, subject="privacy_request",
            ok_location=_detail)
      for act, data in ACTS.items()],
    Entry("api:privacy_requests", "GET", API, READERS, _with_officer("api:privacy_requests")),
    Entry("api:privacy_requests", "POST", API, READERS, _with_officer("api:privacy_requests"), ok=201,
          data=lambda w: dict(FORM)),
    Entry("api:privacy_request_detail", "GET", API, READERS, _url("api:privacy_request_detail")),
    *[Entry("api:privacy_request_act", "POST", API, HANDLERS, _url("api:privacy_request_act", action=act),
            variant=act, data=lambda w, d=data: dict(d), state=RECEIVED, succeeds=HANDLERS, subject="privacy_request")
      for act, data in ACTS.items()],
]
