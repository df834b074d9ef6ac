"""The data-subject requests' query budgets (UU 27/2022 Pasal 30, 32, 41-44, 10): what grows from
SMALL to LARGE is the office's requests (the list and the API's list) or one request's history (its
page and the API's detail: each copy of the data given adds a step); each is read in one query, the
clock computed in Python."""

from __future__ import annotations

from loket.privacy import requests
from tests.support.budgets import case, each, same

BASE = "staf/privasi/permintaan/"
API = "api/v1/privacy/requests/"
FORM = {"kind": "akses", "nik": "3577014508900001", "name": "Siti Aminah", "contact": "081234567890",
        "identity": "ktp", "identity_note": "", "details": "Minta salinan data saya."}

BUDGETS = {
    BASE: {"GET": 5},
    f"{BASE}baru/": {"GET": 4, "POST (redirect)": 11},
    f"{BASE}<str:code>/": {"GET": 6},
    f"{BASE}<str:code>/jawab/": {"GET": 6, "POST (redirect)": 12},
    f"{BASE}<str:code>/tolak/": {"GET": 6, "POST (redirect)": 12},
    API: {"GET (token)": 3, "POST (token)": 12},
    f"{API}<code>/": {"GET (token)": 4},
    f"{API}<code>/<action>/": {"POST (token)": 10},
}


def _request(w, exports: int = 0, **over):
    r = requests.request_record(office=w.office, actor=w.people["front"], **{**FORM, **over})
    for _ in range(exports):
        requests.request_export(code=r.code, actor=w.people["camat"], fmt="json")
    return r


def _requests(w, n: int) -> None:
    for k in range(n):
        r = _request(w, kind=("akses", "pembetulan", "penghapusan")[k % 3])
        if k % 2:
            requests.request_answer(code=r.code, actor=w.people["camat"], answer="Sudah dijawab.")


@case(BASE, "GET", rows=True)
def _(w, n):
    _requests(w, n)
    w.login("sekcam")
    return same(lambda: w.client.get(f"/{BASE}"))


@case(f"{BASE}baru/", "GET")
def _(w, n):
    w.login("front")
    return same(lambda: w.client.get(f"/{BASE}baru/"))


@case(f"{BASE}baru/", "POST (redirect)", 302)
def _(w, n):
    _requests(w, n)
    w.login("front")
    return same(lambda: w.client.post(f"/{BASE}baru/", FORM))


@case(f"{BASE}<str:code>/", "GET", rows=True)
def _(w, n):
    r = _request(w, exports=n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{r.code}/"))


@case(f"{BASE}<str:code>/jawab/", "GET")
def _(w, n):
    r = _request(w, exports=n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{r.code}/jawab/"))


@case(f"{BASE}<str:code>/jawab/", "POST (redirect)", 302)
def _(w, n):
    w.login("camat")
    return each(lambda: _request(w, exports=n),
                lambda r: w.client.post(f"/{BASE}{r.code}/jawab/", {"answer": "Salinan diserahkan."}))


@case(f"{BASE}<str:code>/tolak/", "GET")
def _(w, n):
    r = _request(w, exports=n)
    w.login("camat")
    return same(lambda: w.client.get(f"/{BASE}{r.code}/tolak/"))


@case(f"{BASE}<str:code>/tolak/", "POST (redirect)", 302)
def _(w, n):
    w.login("camat")
    return each(lambda: _request(w, exports=n),
                lambda r: w.client.post(f"/{BASE}{r.code}/tolak/", {"ground": "pasal33b", "reason": "Data orang lain."}))


@case(API, "GET (token)", rows=True)
def _(w, n):
    _requests(w, n)
    headers = w.token("front")
    return same(lambda: w.client.get(f"/{API}", **headers))


@case(API, "POST (token)", 201)
def _(w, n):
    _requests(w, n)
    headers = w.token("front")
    return same(lambda: w.client.post(f"/{API}", FORM, content_type="application/json", **headers))


@case(f"{API}<code>/", "GET (token)", rows=True)
def _(w, n):
    r = _request(w, exports=n)
    headers = w.token("camat")
    return same(lambda: w.client.get(f"/{API}{r.code}/", **headers))


@case(f"{API}<code>/<action>/", "POST (token)")
def _(w, n):
    headers = w.token("camat")
    return each(lambda: _request(w, exports=n),
                lambda r: w.client.post(f"/{API}{r.code}/answer/", {"answer": "Sudah."}, content_type="application/json",
                                        **headers))
