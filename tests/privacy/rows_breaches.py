"""The breach register's rows of the authorization matrix (UU 27/2022 Pasal 46): its pages, letters
and acts on the web and the API are the data protection officer's and the Camat's only. In the
mini office the officer is the Kasi of the general unit (``kasi_other``, the Kasubbag Umum, as
the demo appoints); everyone else gets 403 (policy.HANDLER_TEXT), another office's code 404.

The engine and the kinds of rows: tests/support/authz.py; how to add a row: tests/support/README.md."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from loket.privacy import breaches
from loket.privacy.models import Breach, BreachStep, Officer
from tests.support.authz import API, PAGE, POST403, Entry, builder, subject

HANDLERS = frozenset({"camat", "kasi_other"})
OPEN = Breach.State.OPEN
# act: form data (web and API alike)
ACTS = {
    "act": {"note": "Akun petugas dikunci."},
    "notify_subjects": {"at": "", "note": "Surat diantar."},
    "notify_authority": {"at": "", "note": "Surel ke lembaga."},
    "close": {"note": "Selesai ditangani."},
}


def _officer(w) -> None:
    Officer.objects.get_or_create(office=w.office, defaults={
        "user": w.people["kasi_other"], "name": "Pejabat PDP", "position": "Kasubbag Umum", "telephone": "0351"})


def _form(w) -> dict:
    return {"title": "Laptop loket hilang", "description": "Dicuri dari meja pelayanan.",
            "known_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "occurred_at": "",
            "data_affected": "NIK, nama", "subjects_affected": "Pemohon KTP-el", "subjects_count": "12",
            "actions": "Kata sandi diganti.", "authority": ""}


@builder
def privacy_breach(w, state: str = OPEN) -> Breach:
    """An open breach of the mini office (recorded by the Camat), closed for ``ditutup``."""
    _officer(w)
    if ("privacy_breach", state) not in w.made:
        b = breaches.breach_record(office=w.office, actor=w.people["camat"], **{
            **_form(w), "known_at": timezone.now(), "subjects_count": 12})
        if state == Breach.State.CLOSED:
            b = breaches.breach_close(code=b.code, actor=w.people["camat"], note="Selesai.")
        w.made[("privacy_breach", state)] = b
    return w.made[("privacy_breach", state)]


subject("privacy_breach", model=Breach, get=lambda w, state: w.privacy_breach(state),
        history=lambda b: BreachStep.objects.filter(breach=b).count(),
        keeps_state=frozenset({"act", "notify_subjects", "notify_authority"}))


def _url(name, **extra):
    return lambda w: reverse(name, kwargs={"code": w.privacy_breach().code, **extra})


def _with_officer(name):
    return lambda w: (_officer(w), reverse(name))[1]


def _detail(who, w) -> str:
    return reverse("privacy:breach_detail", kwargs={"code": w.privacy_breach().code})


ROWS: list[Entry] = [
    Entry("privacy:breaches", "GET", PAGE, HANDLERS, _with_officer("privacy:breaches")),
    Entry("privacy:breach_new", "GET", PAGE, HANDLERS, _with_officer("privacy:breach_new")),
    Entry("privacy:breach_new", "POST", POST403, HANDLERS, _with_officer("privacy:breach_new"), ok=302, data=_form,
          ok_location=lambda who, w: reverse("privacy:breach_detail", kwargs={"code": Breach.objects.latest("pk").code})),
    Entry("privacy:breach_detail", "GET", PAGE, HANDLERS, _url("privacy:breach_detail")),
    Entry("privacy:breach_letter_subjects", "GET", PAGE, HANDLERS, _url("privacy:breach_letter_subjects")),
    Entry("privacy:breach_letter_authority", "GET", PAGE, HANDLERS, _url("privacy:breach_letter_authority")),
    *[Entry("privacy:breach_act", "POST", POST403, HANDLERS, _url("privacy:breach_act", act=act), ok=302, variant=act,
            data=lambda w, d=data: dict(d), state=OPEN, succeeds=HANDLERS, subject="privacy_breach",
            ok_location=_detail)
      for act, data in ACTS.items()],
    Entry("api:privacy_breaches", "GET", API, HANDLERS, _with_officer("api:privacy_breaches")),
    Entry("api:privacy_breaches", "POST", API, HANDLERS, _with_officer("api:privacy_breaches"), ok=201,
          data=lambda w: {**_form(w), "subjects_count": 12}),
    Entry("api:privacy_breach", "GET", API, HANDLERS, _url("api:privacy_breach")),
    *[Entry("api:privacy_breach_act", "POST", API, HANDLERS, _url("api:privacy_breach_act", act=act),
            variant=act, data=lambda w, d=data: dict(d), state=OPEN, succeeds=HANDLERS, subject="privacy_breach")
      for act, data in ACTS.items() if act in ("notify_authority", "close")],
]
