"""The complaints' query budgets: the public pages, the staff screens and acts, and the API.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations

import datetime as dt
import time

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils import timezone

from loket.complaints import spam
from loket.complaints.models import Category, Complaint, Step
from tests.complaints.conftest import complaint_data

from tests.support.budgets import CS, PerRow, World, case, each, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- complaints: public pages ----------------------------------------------------------------
    "<slug:office>/pengaduan/": {  # services of the edition (the form's choices); complaints in the book
        "GET": 5,
        "POST (saved, redirect)": 13,
        "POST (invalid, 400)": 6,
        "POST (honeypot, 400)": 5,
    },
    "pengaduan/lacak/": {  # nothing
        "GET (form)": 1,
        "GET ?kode= (redirect)": 0,
    },
    "pengaduan/lacak/<str:code>/": {  # steps and answers (corrections) of the complaint
        "GET": 4,
        "GET (unknown code, 404)": 2,
    },
    "pengaduan/lacak/<str:code>/tanggapan/": {  # steps and answers (corrections) of the complaint; other complaints
        "POST (not satisfied: reopened)": 6,
        "POST (satisfied: closed)": 5,
    },
    # --- complaints: staff ----------------------------------------------------------------------
    # complaints waiting for the user (the services with their own routing), overdue complaints
    "staf/pengaduan/": {
        "GET (front office)": 9,
        "GET (Kasi)": 9,
    },
    "staf/pengaduan/semua/": {  # complaints of the office
        "GET": 9,
        "GET (every filter)": 9,
    },
    "staf/pengaduan/terlambat/": {"GET": 7},  # overdue complaints
    # services of the edition and the office's staff (the form's choices); complaints in the book
    "staf/pengaduan/baru/": {
        "GET": 9,
        "POST (saved, redirect)": 17,
        "POST (invalid, 400)": 11,
    },
    "staf/pengaduan/laporan/": {  # complaints across months, categories, units and states
        "GET (this year)": 21,
        "GET ?tahun=&bulan=": 21,
    },
    "staf/pengaduan/buku/<int:year>.xlsx": {"GET": 7},  # entries of the Buku Pengaduan, with answers
    "staf/pengaduan/buku/<int:year>.pdf": {"GET": 7},  # entries of the Buku Pengaduan, with answers
    # steps, answers (corrections), coordinations, attachments of the complaint
    "staf/pengaduan/<str:code>/": {
        "GET (answered)": 16,
        "GET (coordinating, Kasi)": 16,
    },
    "staf/pengaduan/<str:code>/lapor.xlsx": {"GET": 16},  # answers (corrections) of the complaint
    "staf/pengaduan/<str:code>/lampiran/<int:pk>/": {  # attachments of the complaint
        "GET": 5,
        "GET (unknown attachment, 404)": 5,
    },
    # steps, answers, coordinations and attachments of the complaint; other complaints
    "staf/pengaduan/<str:code>/<slug:action>/": {
        "POST escalate": 11,
        "POST direction_direct": 10,
        "POST direction_request": 10,
        "POST direction_give": 10,
        "POST coordinate": 11,
        "POST coordination_result": 12,
        "POST answer": 11,
        "POST correct": 12,
        "POST feedback": 11,
        "POST close": 10,
        "POST name_staff": 11,
    },
    # --- complaints: API ------------------------------------------------------------------------
    "api/v1/complaints/": {  # complaints in the book
        "POST (201)": 13,
        "POST (invalid, 400)": 3,
    },
    "api/v1/complaints/<code>/": {  # steps and answers (corrections) of the complaint
        "GET": 3,
        "GET (unknown code, 404)": 1,
    },
    # steps and answers (corrections) of the complaint; other complaints
    "api/v1/complaints/<code>/feedback/": {"POST": 9},
    "api/v1/staff/complaints/": {  # complaints of the office (POST: complaints in the book)
        "GET (token)": 4,
        "GET (session, every filter)": 6,
        "POST (token, 201)": 22,
        "POST (token, invalid, 400)": 4,
    },
    # steps, answers (corrections), coordinations, attachments of the complaint
    "api/v1/staff/complaints/<code>/": {
        "GET (token)": 13,
        "GET (session)": 15,
    },
    # steps, answers, coordinations and attachments of the complaint; other complaints
    "api/v1/staff/complaints/<code>/<action>/": {
        "POST escalate": 19,
        "POST direction_direct": 18,
        "POST direction_request": 18,
        "POST direction_give": 18,
        "POST coordinate": 20,
        "POST coordination_result": 20,
        "POST answer": 20,
        "POST correct": 21,
        "POST feedback": 20,
        "POST close": 19,
        "POST name_staff": 19,
    },
}


# complaints: shared pieces

_LAPOR_NUMBERS = iter(range(1_900_000, 9_999_999))  # a fresh tracking number per LAPOR! complaint

def _varied(w: World, i: int) -> dict:
    """Complaint data that differs per row: kind, channel, category (the default tree) and unit."""
    cats, units = w.categories(), list(w.office.units.order_by("pk").values_list("code", flat=True))
    channel = Complaint.Channel.values[i % len(Complaint.Channel.values)]
    lapor = {"lapor_number": str(next(_LAPOR_NUMBERS))} if channel == Complaint.Channel.LAPOR else {}
    return {"kind": Complaint.Kind.values[i % len(Complaint.Kind.values)], "channel": channel,
            "category": cats[i % len(cats)].pk, "unit": units[i % len(units)], **lapor}


def _matching(w: World) -> tuple[dict, Category]:
    """Data that every filter of the list screens matches (see their 'every filter' cases), and
    the parent category to filter on (it matches its children)."""
    parent = next(c for c in w.categories() if c.children.exists())
    data = {"kind": "pengaduan", "channel": "whatsapp", "category": parent.children.first().pk, "unit": "pemerintahan"}
    return data, parent


def _flashed(response) -> list[int]:
    """The levels of the messages a redirect carries in its cookie: whether an act took place,
    read without a query (a check inside ``send`` would be counted with the request)."""
    morsel = response.cookies.get(CookieStorage.cookie_name)
    return [m.level for m in (CookieStorage(None)._decode(morsel.value) or [])] if morsel else []


def _public_form(**over) -> dict:
    """A post of the public form, its stamp signed ten seconds ago (older than spam.MIN_SECONDS)."""
    data = {"kind": "pengaduan", "name": "Budi Santoso", "phone": "081234567890", "reply_via": "whatsapp",
            "service": "pindah", "subject": "Antrean loket KTP-el",
            "text": "Antrean di loket KTP-el sangat panjang setiap Senin pagi.",
            spam.STAMP_FIELD: spam.stamp_new(at=time.time() - 10), spam.HONEYPOT_FIELD: ""}
    data.update(over)
    return data


# complaints: public pages

@case("<slug:office>/pengaduan/", "GET", rows=True)
def _(w, n):
    w.services(n)
    w.categories()
    return same(lambda: w.client.get("/contoh/pengaduan/"))


@case("<slug:office>/pengaduan/", "POST (saved, redirect)", 302)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    cat = w.categories()[0].pk
    return same(lambda: w.client.post("/contoh/pengaduan/", _public_form(category=cat)))


@case("<slug:office>/pengaduan/", "POST (invalid, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    return same(lambda: w.client.post("/contoh/pengaduan/", _public_form(text="pendek", phone="123")))


@case("<slug:office>/pengaduan/", "POST (honeypot, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.post("/contoh/pengaduan/", _public_form(**{spam.HONEYPOT_FIELD: "http://spam"})))


@case("pengaduan/lacak/", "GET (form)")
def _(w, n):
    return same(lambda: w.client.get("/pengaduan/lacak/"))


@case("pengaduan/lacak/", "GET ?kode= (redirect)", 302)
def _(w, n):
    return same(lambda: w.client.get("/pengaduan/lacak/?kode=abcd-efgh"))


@case("pengaduan/lacak/<str:code>/", "GET", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, category=w.categories()[1].pk)
    return same(lambda: w.client.get(f"/pengaduan/lacak/{c.code}/"))


@case("pengaduan/lacak/<str:code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    return same(lambda: w.client.get("/pengaduan/lacak/ZZZZZZZZ/"))


def _public_feedback_case(name, satisfied):
    @case("pengaduan/lacak/<str:code>/tanggapan/", name, 302)
    def _(w, n):
        w.complaints(n, CS.ANSWERED)

        def send(c):
            w.client.cookies.pop(CookieStorage.cookie_name, None)  # the messages of the request before
            r = w.client.post(f"/pengaduan/lacak/{c.code}/tanggapan/", {"satisfied": satisfied, "note": "Oke."})
            assert _flashed(r) == [messages.SUCCESS], "the feedback was not taken"
            return r

        return each(lambda: w.complaint(CS.ANSWERED, history=n), send)


_public_feedback_case("POST (not satisfied: reopened)", "0")


_public_feedback_case("POST (not satisfied: reopened)", "0")
_public_feedback_case("POST (satisfied: closed)", "1")


# complaints: staff screens

@case("staf/pengaduan/", "GET (front office)", rows=True)
def _(w, n):
    w.complaints(n, CS.RECEIVED, CS.REOPENED, CS.ANSWERED, CS.ESCALATED, CS.CLOSED)
    w.late(n, CS.RECEIVED, CS.ESCALATED, CS.COORDINATING)
    w.login("front")
    return same(lambda: w.client.get("/staf/pengaduan/"))


@case("staf/pengaduan/", "GET (Kasi)", rows=True)
def _(w, n):
    w.complaints(n, CS.ESCALATED, CS.DIRECTED, CS.COORDINATING, CS.RECEIVED)
    w.late(n, CS.ESCALATED, CS.DIRECTION_REQUESTED)
    w.login("kasi")
    return same(lambda: w.client.get("/staf/pengaduan/"))


@case("staf/pengaduan/semua/", "GET", rows=True)
def _(w, n):
    for i in range(n):
        w.complaint((CS.RECEIVED, CS.ESCALATED, CS.ANSWERED, CS.CLOSED)[i % 4], **_varied(w, i))
    w.login("front")
    return same(lambda: w.client.get("/staf/pengaduan/semua/"))


@case("staf/pengaduan/semua/", "GET (every filter)", rows=True)
def _(w, n):
    data, parent = _matching(w)
    w.late(n, CS.RECEIVED, **data)
    w.complaints(2, CS.ANSWERED)  # matching none
    w.login("front")
    query = (f"?state=received&kind=pengaduan&channel=whatsapp&category={parent.pk}&unit=pemerintahan"
             "&overdue=1&open=1&q=Budi")
    return same(lambda: w.client.get(f"/staf/pengaduan/semua/{query}"))


@case("staf/pengaduan/terlambat/", "GET", rows=True)
def _(w, n):
    w.late(n, CS.RECEIVED, CS.ESCALATED, CS.DIRECTION_REQUESTED, CS.COORDINATING, CS.REOPENED,
           category=w.categories()[2].pk)
    w.complaints(2, CS.RECEIVED)  # not late
    w.login("camat")
    return same(lambda: w.client.get("/staf/pengaduan/terlambat/"))


@case("staf/pengaduan/baru/", "GET", rows=True)
def _(w, n):
    w.services(n)
    w.categories()
    w.login("front")
    return same(lambda: w.client.get("/staf/pengaduan/baru/"))


@case("staf/pengaduan/baru/", "POST (saved, redirect)", 302)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="pindah", unit="pemerintahan", note="Lewat WA Camat.")
    w.login("front")
    return same(lambda: w.client.post("/staf/pengaduan/baru/", body))


@case("staf/pengaduan/baru/", "POST (invalid, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="tidak-ada", phone="123", text="pendek")
    w.login("front")
    return same(lambda: w.client.post("/staf/pengaduan/baru/", body))


def _spread(w: World, n: int, start: dt.datetime, end: dt.datetime) -> None:
    """n complaints received evenly between start and end, every kind, channel, category,
    unit and several states."""
    states = (CS.RECEIVED, CS.ANSWERED, CS.CLOSED, CS.ESCALATED, CS.REOPENED)
    for i in range(n):
        w.complaint(states[i % len(states)], at=start + (end - start) * (i + 1) / (n + 1), **_varied(w, i))


@case("staf/pengaduan/laporan/", "GET (this year)", rows=True)
def _(w, n):
    now = timezone.localtime()
    _spread(w, n, now.replace(month=1, day=1, hour=0, minute=0), now)
    w.login("sekcam")
    return same(lambda: w.client.get("/staf/pengaduan/laporan/"))


@case("staf/pengaduan/laporan/", "GET ?tahun=&bulan=", rows=True)
def _(w, n):
    year = timezone.localdate().year - 1
    tz = timezone.get_current_timezone()
    _spread(w, n, dt.datetime(year, 6, 1, tzinfo=tz), dt.datetime(year, 6, 30, tzinfo=tz))
    w.login("sekcam")
    return same(lambda: w.client.get(f"/staf/pengaduan/laporan/?tahun={year}&bulan=6"))


def _book_case(ext):
    @case(f"staf/pengaduan/buku/<int:year>.{ext}", "GET", rows=True)
    def _(w, n):
        for i in range(n):
            w.complaint((CS.RECEIVED, CS.ANSWERED, CS.CLOSED)[i % 3], history=1, **_varied(w, i))
        w.login("front")
        year = timezone.localdate().year
        return same(lambda: w.client.get(f"/staf/pengaduan/buku/{year}.{ext}"))


_book_case("xlsx")


_book_case("xlsx")
_book_case("pdf")


@case("staf/pengaduan/<str:code>/", "GET (answered)", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, **_varied(w, 3))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/"))


@case("staf/pengaduan/<str:code>/", "GET (coordinating, Kasi)", rows=True)
def _(w, n):
    c = w.complaint(CS.COORDINATING, history=n, files=n, category=w.categories()[1].pk, service="pindah")
    w.login("kasi")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/"))


@case("staf/pengaduan/<str:code>/lampiran/<int:pk>/", "GET")
def _(w, n):
    c = w.complaint(CS.RECEIVED, files=n)
    pk = c.attachments.order_by("pk").last().pk
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/lampiran/{pk}/"))


@case("staf/pengaduan/<str:code>/lapor.xlsx", "GET", 200)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, channel="lapor", lapor_number=str(next(_LAPOR_NUMBERS)))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/lapor.xlsx"))


@case("staf/pengaduan/<str:code>/lampiran/<int:pk>/", "GET (unknown attachment, 404)", 404)
def _(w, n):
    c = w.complaint(CS.RECEIVED, files=n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/lampiran/999999/"))


# Each act on a complaint: the state it starts from, who does it, its form (HTML) and body (API).
COMPLAINT_ACTS = {
    "escalate": (CS.RECEIVED, "front", {"unit": "pemerintahan", "note": "Perlu seksi."}, None),
    "direction_direct": (CS.RECEIVED, "front", {"question": "Mohon arahan langsung."}, None),
    "direction_request": (CS.ESCALATED, "kasi", {"question": "Mohon arahan."}, None),
    "direction_give": (CS.DIRECTION_REQUESTED, "camat", {"direction": "Koordinasikan dengan kelurahan."}, None),
    "coordinate": (CS.RECEIVED, "front", {"kind": "kelurahan", "party": "Kelurahan Klegen", "question": "Cek."}, None),
    "coordination_result": (CS.COORDINATING, "kasi", {"result": "Sudah dicek."}, None),
    "answer": (CS.RECEIVED, "front", {"text": "Berkas Anda sudah selesai, silakan ambil."}, None),
    "correct": (CS.ANSWERED, "front", {"text": "Berkas Anda selesai besok.", "reason": "Tanggal salah."}, None),
    "feedback": (CS.ANSWERED, "front", {"satisfied": "0", "note": "Lewat telepon."},
                 {"satisfied": False, "note": "Lewat telepon."}),
    "close": (CS.ANSWERED, "front", {"note": "Tidak ada tanggapan."}, None),
    # the Camat names the front-office clerk (a form or body that needs the world is a callable)
    "name_staff": (CS.RECEIVED, "camat", lambda w: {"staff_named": w.people["front"].pk}, None),
}


def _complaint_act_case(action):
    state, role, form_of, body_of = COMPLAINT_ACTS[action]
    body_of = form_of if body_of is None else body_of

    def target(w, n):
        c = w.complaint(state, history=n, files=n)
        return c, Step.objects.filter(complaint=c).count()

    def _data(value, w):
        return value(w) if callable(value) else value

    @case("staf/pengaduan/<str:code>/<slug:action>/", f"POST {action}", 302)
    def _html(w, n):
        w.complaints(n, CS.RECEIVED, CS.ANSWERED)
        w.login(role)
        form = _data(form_of, w)

        def send(t):
            w.client.cookies.pop(CookieStorage.cookie_name, None)  # the messages of the request before
            r = w.client.post(f"/staf/pengaduan/{t[0].code}/{action}/", form)
            assert _flashed(r) == [messages.SUCCESS], "the act did not happen"
            return r

        return each(lambda: target(w, n), send)

    @case("api/v1/staff/complaints/<code>/<action>/", f"POST {action}", rows=True)
    def _api(w, n):
        w.complaints(n, CS.RECEIVED, CS.ANSWERED)
        headers = w.token(role)
        body = _data(body_of, w)

        def send(t):
            (c, steps) = t
            r = w.client.post(f"/api/v1/staff/complaints/{c.code}/{action}/", body,
                              content_type="application/json", **headers)
            assert r.status_code != 200 or len(r.json()["steps"]) == steps + 1, "the act did not happen"
            return r

        return each(lambda: target(w, n), send)


for _action in COMPLAINT_ACTS:
    _complaint_act_case(_action)


# complaints: API

def _api_complaint(**over) -> dict:
    data = complaint_data(**over)
    del data["channel"]
    return data


@case("api/v1/complaints/", "POST (201)", 201)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = _api_complaint(category=w.categories()[0].pk, service="pindah")
    return same(lambda: w.client.post("/api/v1/complaints/", body, content_type="application/json"))


@case("api/v1/complaints/", "POST (invalid, 400)", 400)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = _api_complaint(category=w.categories()[0].pk, service="tidak-ada", text="pendek")
    return same(lambda: w.client.post("/api/v1/complaints/", body, content_type="application/json"))


@case("api/v1/complaints/<code>/", "GET", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, category=w.categories()[1].pk)
    return same(lambda: w.client.get(f"/api/v1/complaints/{c.code}/"))


@case("api/v1/complaints/<code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    return same(lambda: w.client.get("/api/v1/complaints/ZZZZZZZZ/"))


@case("api/v1/complaints/<code>/feedback/", "POST", rows=True)
def _(w, n):
    w.complaints(n, CS.ANSWERED)

    def send(c):
        r = w.client.post(f"/api/v1/complaints/{c.code}/feedback/", {"satisfied": False, "note": "Belum."},
                          content_type="application/json")
        assert r.status_code != 200 or r.json()["state"] == CS.REOPENED, "the feedback was not taken"
        return r

    return each(lambda: w.complaint(CS.ANSWERED, history=n), send)


@case("api/v1/staff/complaints/", "GET (token)", rows=True)
def _(w, n):
    for i in range(n):
        w.complaint((CS.RECEIVED, CS.ESCALATED, CS.ANSWERED, CS.CLOSED)[i % 4], **_varied(w, i))
    headers = w.token("front")
    return same(lambda: w.client.get("/api/v1/staff/complaints/", **headers))


@case("api/v1/staff/complaints/", "GET (session, every filter)", rows=True)
def _(w, n):
    data, parent = _matching(w)
    w.late(n, CS.RECEIVED, **data)
    w.complaints(2, CS.ANSWERED)  # matching none
    w.login("front")
    query = (f"?state=received&kind=pengaduan&channel=whatsapp&category={parent.pk}&unit=pemerintahan"
             "&overdue=true&open=true&q=Budi")
    return same(lambda: w.client.get(f"/api/v1/staff/complaints/{query}"))


@case("api/v1/staff/complaints/", "POST (token, 201)", 201)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="pindah", unit="pemerintahan", note="Lewat WA Camat.")
    headers = w.token("front")
    return same(lambda: w.client.post("/api/v1/staff/complaints/", body, content_type="application/json", **headers))


@case("api/v1/staff/complaints/", "POST (token, invalid, 400)", 400)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="tidak-ada", text="pendek")
    headers = w.token("front")
    return same(lambda: w.client.post("/api/v1/staff/complaints/", body, content_type="application/json", **headers))


@case("api/v1/staff/complaints/<code>/", "GET (token)", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, **_varied(w, 3))
    headers = w.token("front")
    return same(lambda: w.client.get(f"/api/v1/staff/complaints/{c.code}/", **headers))


@case("api/v1/staff/complaints/<code>/", "GET (session)", rows=True)
def _(w, n):
    c = w.complaint(CS.COORDINATING, history=n, files=n, **_varied(w, 3))
    w.login("kasi")
    return same(lambda: w.client.get(f"/api/v1/staff/complaints/{c.code}/"))
