"""The breach register's query budgets (UU 27/2022 Pasal 46): what grows from SMALL to LARGE is the
office's breaches (the list and the API's list) or one breach's history of actions (its page, its
letters and the API's detail); each is read in one query, the clock computed in Python."""

from __future__ import annotations

from django.utils import timezone

from loket.privacy import breaches
from tests.support.budgets import case, each, same

BASE = "staf/privasi/kegagalan/"
API = "api/v1/privacy/breaches/"

BUDGETS = {
    BASE: {"GET": 6},
    f"{BASE}baru/": {"GET": 4, "POST (redirect)": 10},
    f"{BASE}<str:code>/": {"GET": 8},  # and the letters issued
    f"{BASE}<str:code>/surat-subjek.pdf": {"GET": 9},  # the letter issued, or the officer and the Camat who signs
    f"{BASE}<str:code>/surat-lembaga.pdf": {"GET": 9},
    # a notice: its letter issued (the agenda book's line under a row lock, the paper, the signer)
    f"{BASE}<str:code>/<slug:act>/": {"POST (redirect)": 21},
    API: {"GET (token)": 4, "POST (token)": 11},
    f"{API}<code>/": {"GET (token)": 5},  # and the letters issued
    f"{API}<code>/<act>/": {"POST (token)": 11},
}

def _form() -> dict:
    return {"title": "Laptop loket hilang", "description": "Dicuri dari meja pelayanan.",
            "known_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "occurred_at": "",
            "data_affected": "NIK, nama", "subjects_affected": "Pemohon KTP-el", "subjects_count": "12",
            "actions": "Kata sandi diganti.", "authority": ""}


def _breach(w, actions: int = 0):
    b = breaches.breach_record(office=w.office, actor=w.people["camat"], **{**_form(), "known_at": timezone.now()})
    for k in range(actions):
        breaches.breach_act(code=b.code, actor=w.people["camat"], note=f"Tindakan {k}.")
    return b


def _breaches(w, n: int) -> None:
    for k in range(n):
        b = _breach(w)
        if k % 2:
            breaches.breach_notify_subjects(code=b.code, actor=w.people["camat"], at="", note="")
        if k % 3 == 0:
            breaches.breach_close(code=b.code, actor=w.people["camat"], note="Selesai.")


@case(BASE, "GET", rows=True)
def _(w, n):
    _breaches(w, n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}"))


@case(f"{BASE}baru/", "GET")
def _(w, n):
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}baru/"))


@case(f"{BASE}baru/", "POST (redirect)", 302)
def _(w, n):
    _breaches(w, n)
    w.login("camat")
    return same(lambda: w.client.post(f"/{BASE}baru/", _form()))


@case(f"{BASE}<str:code>/", "GET", rows=True)
def _(w, n):
    b = _breach(w, actions=n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{b.code}/"))


@case(f"{BASE}<str:code>/surat-subjek.pdf", "GET")
def _(w, n):
    b = _breach(w, actions=n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{b.code}/surat-subjek.pdf"))


@case(f"{BASE}<str:code>/surat-lembaga.pdf", "GET")
def _(w, n):
    b = _breach(w, actions=n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{b.code}/surat-lembaga.pdf"))


@case(f"{BASE}<str:code>/<slug:act>/", "POST (redirect)", 302)
def _(w, n):
    _breaches(w, n)
    w.login("camat")
    return each(lambda: _breach(w, actions=n),
                lambda b: w.client.post(f"/{BASE}{b.code}/notify_subjects/", {"at": "", "note": "Surat."}))


@case(API, "GET (token)", rows=True)
def _(w, n):
    _breaches(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get(f"/{API}", **headers))


@case(API, "POST (token)", 201)
def _(w, n):
    _breaches(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.post(f"/{API}", {**_form(), "subjects_count": 12}, content_type="application/json",
                                      **headers))


@case(f"{API}<code>/", "GET (token)", rows=True)
def _(w, n):
    b = _breach(w, actions=n)
    headers = w.token("camat")
    return same(lambda: w.client.get(f"/{API}{b.code}/", **headers))


@case(f"{API}<code>/<act>/", "POST (token)")
def _(w, n):
    headers = w.token("camat")
    return each(lambda: _breach(w, actions=n),
                lambda b: w.client.post(f"/{API}{b.code}/close/", {"note": "Selesai."},
                                        content_type="application/json", **headers))
