"""The dossiers' query budgets: public tracking and verification, the counter's staff screens,
the acts, and the dossier API.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations



from loket.dossiers.models import Dossier
from tests.factories import applicant_data

from tests.support.budgets import S, PerRow, case, each, htmx, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- public tracking and verification -------------------------------------------------------
    "lacak/": {  # nothing
        "GET (form)": 1,
        "GET ?kode= (redirect)": 0,
    },
    "lacak/<str:code>/": {  # transitions of the dossier
        "GET": 3,
        "GET (unknown code, 404)": 2,
    },
    "verifikasi/<str:code>/": {  # registered dossiers: the issued paper first, then the dossier's register line
        "GET": 4,
        "GET (unknown code, 404)": 3,
    },
    # --- staff: the counter flow ----------------------------------------------------------------
    "staf/": {"GET (redirect to the role's list)": 3},  # nothing
    # +1 on the staff lists since issue 17: the complaints badge reads which services have their own
    # complaint routing (complaints.policy.routed_services), one query, flat in the rows
    "staf/berkas/": {"GET": 11},  # dossiers of today, in every state; the counter services and their counts (shortcuts)
    "staf/berkas/cari/": {"GET ?q=": 6},  # matching dossiers
    "staf/berkas/baru/": {  # services at the counter; requirements of the chosen service
        "GET (pick a service)": 6,
        "GET ?layanan=": 11,
        "POST (htmx checklist)": 11,
        "POST (htmx NIK: a returning citizen)": 14,  # + their last dossier, the open ones of the same service
        "POST (saved, redirect)": 24,
        "POST (invalid, 400)": 17,
    },
    "staf/berkas/<str:code>/": {  # transitions and checklist items of the dossier
        "GET (returned)": 16,  # + corrections of the applicant data; the correction form's kelurahan choices; scans
        "GET (registered)": 17,  # + corrections of the applicant data; scans of the papers; issued papers, letters to write
    },
    "staf/berkas/<str:code>/<slug:kind>.pdf": {  # checklist items, transitions of the dossier
        "GET tanda-terima": 12,
        "GET slip-pengembalian": 12,
        "GET stempel-verifikasi": 10,
    },
    "staf/berkas/<str:code>/<slug:action>/": {  # transitions and items of the dossier; other dossiers
        "POST forward": 15,
        "POST return": 15,
        "POST initial": 15,
        "POST sign": 15,
        "POST register": 32,  # + the legalisation issued: its signer, agenda number and stored paper
        "POST handover": 19,  # + its measure: transitions, working hours, holidays, one insert (dossiers.measure)
        "POST resubmit": 19,  # the checklist is written with one bulk update and one bulk insert
        "POST correct": 19,  # the applicant data checked whole (office, kelurahan); one bulk insert of corrections
        "POST register_handover": 44,  # register then hand over, each act locking and checking again; + the measure
        "POST cancel_return": 21,  # the checklist written as at resubmission; the undone return read
        "POST cancel_intake": 15,
        "POST resubmit_forward": 27,  # take back then forward, each act locking and checking again
    },
    "staf/paraf/": {
        "GET": 9,  # dossiers waiting for the Kasi's paraf (+1: the badge's routing, see above)
        "POST (initial the chosen ones)": PerRow(4, 5),  # n = dossiers initialled, one act each
    },
    # scans of the papers (pindaian berkas)
    "staf/berkas/<str:code>/pindaian/": {  # scans of the dossier; transitions and items of the dossier
        "POST (attached, redirect)": 15,  # one count of the scans; the file written, one insert
        "POST (not an image or PDF, 400)": 20,  # the detail page again, the error at the file field
    },
    "staf/berkas/<str:code>/pindaian/<int:pk>/": {  # scans of the dossier
        "GET": 6,
        "GET (unknown scan, 404)": 5,
    },
    "api/v1/dossiers/<code>/attachments/": {  # scans of the dossier
        "GET (token)": 8,
        "POST (token, 201)": 12,
    },
    "staf/tanda-tangan/": {
        "GET": 7,  # dossiers waiting for the signature (+1: the badge's routing, see above)
        "POST (sign the chosen ones)": PerRow(5, 5),  # n = dossiers signed, one act each
    },
    "api/v1/dossiers/": {  # requirements of the service (checklist items written)
        "POST (token, 201)": 24,  # + the dossier's issued papers (none yet)
        "POST (token, invalid, 400)": 8,
    },
    "api/v1/applicants/<nik>/last/": {  # the applicant's earlier dossiers at the office
        "GET (token)": 6,
    },
    "api/v1/dossiers/<code>/": {  # transitions and items of the dossier
        "GET (token)": 9,  # + the issued papers
        "GET (session)": 11,
    },
    "api/v1/dossiers/<code>/<action>/": {  # transitions and items of the dossier; other dossiers; its issued papers
        "POST forward": 19,
        "POST return": 19,
        "POST initial": 19,
        "POST sign": 19,
        "POST register": 36,
        "POST handover": 23,  # + the measure
        "POST resubmit": 23,  # the checklist is written with one bulk update and one bulk insert
        "POST correct": 22,  # the applicant data checked whole (office, kelurahan); one bulk insert of corrections
        "POST register_handover": 48,  # register then hand over, each act locking and checking again; + the measure
        "POST cancel_return": 25,
        "POST cancel_intake": 19,
        "POST resubmit_forward": 31,  # take back then forward, each act locking and checking again
    },
    "api/v1/track/<code>/": {  # transitions of the dossier
        "GET": 2,
        "GET (unknown code, 404)": 1,
    },
    "api/v1/verify/<code>/": {  # registered dossiers
        "GET": 1,
        "GET (unknown code, 404)": 1,
    },
}


def _applicant_form(**over) -> dict:
    data = applicant_data()
    data["birth_date"] = data["birth_date"].isoformat()
    data.update(over)
    return data


# public tracking and verification

@case("lacak/", "GET (form)")
def _(w, n):
    return same(lambda: w.client.get("/lacak/"))


@case("lacak/", "GET ?kode= (redirect)", 302)
def _(w, n):
    return same(lambda: w.client.get("/lacak/?kode=abcd-efgh"))


@case("lacak/<str:code>/", "GET", rows=True)
def _(w, n):
    d = w.dossier(S.HANDED_OVER, history=n)
    return same(lambda: w.client.get(f"/lacak/{d.code}/"))


@case("lacak/<str:code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.RECEIVED)
    return same(lambda: w.client.get("/lacak/ZZZZZZZZ/"))


@case("verifikasi/<str:code>/", "GET")
def _(w, n):
    d = w.dossiers(n, S.REGISTERED)[-1]
    return same(lambda: w.client.get(f"/verifikasi/{d.verification_code}/"))


@case("verifikasi/<str:code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    return same(lambda: w.client.get("/verifikasi/ZZZZZZZZ/"))


# staff: the counter flow

@case("staf/", "GET (redirect to the role's list)", 302)
def _(w, n):
    w.login("front")
    return same(lambda: w.client.get("/staf/"))


@case("staf/berkas/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER, S.RETURNED)
    w.login("front")
    return same(lambda: w.client.get("/staf/berkas/"))


@case("staf/berkas/cari/", "GET ?q=", rows=True)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.HANDED_OVER, S.RETURNED)
    w.login("front")
    return same(lambda: w.client.get("/staf/berkas/cari/?q=Siti"))


@case("staf/berkas/baru/", "GET (pick a service)", rows=True)
def _(w, n):
    w.services(n)
    w.login("front")
    return same(lambda: w.client.get("/staf/berkas/baru/"))


@case("staf/berkas/baru/", "GET ?layanan=", rows=True)
def _(w, n):
    w.services(n)
    code = w.service(n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/baru/?layanan={code}&cond_pindah_antar_kota_provinsi=1"))


@case("staf/berkas/baru/", "POST (htmx checklist)", rows=True)
def _(w, n):
    w.services(n)
    code = w.service(n)
    w.login("front")
    body = {"service": code, "cond_pindah_antar_kota_provinsi": "1"}
    return same(lambda: w.client.post("/staf/berkas/baru/", body, **htmx("checklist")))


@case("staf/berkas/baru/", "POST (htmx NIK: a returning citizen)", rows=True)
def _(w, n):
    for _ in range(n):  # n earlier dossiers of the same citizen, all still open
        w.dossier(S.RECEIVED)
    w.login("front")
    body = {"service": "pindah", "nik": applicant_data()["nik"]}
    return same(lambda: w.client.post("/staf/berkas/baru/", body, **htmx("from-nik")))


@case("staf/berkas/baru/", "POST (saved, redirect)", 302)
def _(w, n):
    w.services(n)
    code = w.service(n)
    ids = w.items(code)
    w.login("front")
    body = _applicant_form(service=code, submit="1", present=ids, original=ids)
    return same(lambda: w.client.post("/staf/berkas/baru/", body))


@case("staf/berkas/baru/", "POST (invalid, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    code = w.service(n)
    ids = w.items(code)
    w.login("front")
    body = _applicant_form(service=code, submit="1", present=ids, original=ids, nik="123")
    return same(lambda: w.client.post("/staf/berkas/baru/", body))


@case("staf/berkas/<str:code>/", "GET (returned)", rows=True)
def _(w, n):
    d = w.dossier(S.RETURNED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/"))


@case("staf/berkas/<str:code>/", "GET (registered)", rows=True)
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/"))


@case("staf/berkas/<str:code>/<slug:kind>.pdf", "GET tanda-terima", rows=True)
def _(w, n):
    d = w.dossier(S.RECEIVED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/tanda-terima.pdf"))


@case("staf/berkas/<str:code>/<slug:kind>.pdf", "GET slip-pengembalian", rows=True)
def _(w, n):
    d = w.dossier(S.RETURNED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/slip-pengembalian.pdf"))


@case("staf/berkas/<str:code>/<slug:kind>.pdf", "GET stempel-verifikasi")
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/stempel-verifikasi.pdf"))


# Each act: the state it starts from, who does it, and its form (HTML) / body (API).
ACTS = {
    "forward": (S.RECEIVED, "front", {}),
    "return": (S.RECEIVED, "front", {"reason": "Tanda tangan lurah tidak ada"}),
    "initial": (S.FORWARDED, "kasi", {}),
    "sign": (S.INITIALLED, "sekcam", {}),
    "register": (S.SIGNED, "front", {}),
    "handover": (S.REGISTERED, "front", {}),
    "resubmit": (S.RETURNED, "front", None),  # every requirement present, originals shown
    "register_handover": (S.SIGNED, "front", {}),
    "cancel_return": (S.RETURNED, "front", {"reason": "Salah centang"}),  # + every requirement present
    "cancel_intake": (S.RECEIVED, "front", {"reason": "Salah pilih layanan"}),
    "resubmit_forward": (S.RETURNED, "front", None),  # every requirement present, originals shown
}
WITH_CHECKLIST = {"resubmit", "cancel_return", "resubmit_forward"}


def _act_target(w, n, action):
    """A fresh dossier (n requirements, about n rows of history) waiting for ``action``."""
    state, _, _ = ACTS[action]
    code = w.service(n)
    d = w.dossier(state, history=n, service=code)
    return d.code, w.items(code)


def _act_case(action):
    state, role, form = ACTS[action]

    @case("staf/berkas/<str:code>/<slug:action>/", f"POST {action}", 302)
    def _html(w, n):
        w.dossiers(n, S.RECEIVED, S.REGISTERED)
        w.login(role)

        def send(target):
            code, ids = target
            body = {**(form or {}), **({"present": ids, "original": ids} if action in WITH_CHECKLIST else {})}
            r = w.client.post(f"/staf/berkas/{code}/{action}/", body)
            assert Dossier.objects.get(code=code).state != state, "the act did not happen"
            return r

        return each(lambda: _act_target(w, n, action), send)

    @case("api/v1/dossiers/<code>/<action>/", f"POST {action}", rows=True)
    def _api(w, n):
        w.dossiers(n, S.RECEIVED, S.REGISTERED)
        headers = w.token(role)

        def send(target):
            code, ids = target
            body = {**(form or {}), **({"present": ids, "originals": ids} if action in WITH_CHECKLIST else {})}
            return w.client.post(f"/api/v1/dossiers/{code}/{action}/", body, content_type="application/json", **headers)

        return each(lambda: _act_target(w, n, action), send)


for _action in ACTS:
    _act_case(_action)


# A correction keeps the state: its own cases (a fresh received dossier, n requirements and
# about n rows of history, for each request; the name changes, with a reason).
def _correct_target(w, n):
    d = w.dossier(S.RECEIVED, history=n, service=w.service(n))
    return d.code


@case("staf/berkas/<str:code>/<slug:action>/", "POST correct", 302)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.REGISTERED)
    w.login("front")

    def send(code):
        r = w.client.post(f"/staf/berkas/{code}/correct/", {"name": "Siti Aminah Rahayu", "reason": "Nama sesuai KK."})
        assert Dossier.objects.get(code=code).applicant_name == "Siti Aminah Rahayu", "the act did not happen"
        return r

    return each(lambda: _correct_target(w, n), send)


@case("api/v1/dossiers/<code>/<action>/", "POST correct", rows=True)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.REGISTERED)
    headers = w.token("front")
    body = {"changes": {"name": "Siti Aminah Rahayu"}, "reason": "Nama sesuai KK."}
    return each(lambda: _correct_target(w, n), lambda code: w.client.post(
        f"/api/v1/dossiers/{code}/correct/", body, content_type="application/json", **headers))


# scans of the papers: n scans on a dossier with about n rows of history

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _scanned(w, n):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loket.dossiers import services

    d = w.dossier(S.RECEIVED, history=n, service=w.service(n))
    for i in range(n):
        services.dossier_attach(code=d.code, actor=w.people["front"], file=SimpleUploadedFile(f"scan-{i}.png", PNG),
                                note=f"Lembar {i + 1}")
    return d


def _png(name="kk.png", data=PNG):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


@case("staf/berkas/<str:code>/pindaian/", "POST (attached, redirect)", 302)
def _(w, n):
    d = _scanned(w, n)
    w.login("front")
    return same(lambda: w.client.post(f"/staf/berkas/{d.code}/pindaian/", {"file": _png(), "scan_note": "KK"}))


@case("staf/berkas/<str:code>/pindaian/", "POST (not an image or PDF, 400)", 400, rows=True)
def _(w, n):
    d = _scanned(w, n)
    w.login("front")
    return same(lambda: w.client.post(f"/staf/berkas/{d.code}/pindaian/",
                                      {"file": _png("kk.png", b"<html>not a scan</html>"), "scan_note": "KK"}))


@case("staf/berkas/<str:code>/pindaian/<int:pk>/", "GET")
def _(w, n):
    d = _scanned(w, n)
    pk = d.attachments.order_by("pk").last().pk
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/pindaian/{pk}/"))


@case("staf/berkas/<str:code>/pindaian/<int:pk>/", "GET (unknown scan, 404)", 404)
def _(w, n):
    d = _scanned(w, n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/pindaian/999999/"))


@case("api/v1/dossiers/<code>/attachments/", "GET (token)", rows=True)
def _(w, n):
    d = _scanned(w, n)
    headers = w.token("front")
    return same(lambda: w.client.get(f"/api/v1/dossiers/{d.code}/attachments/", **headers))


@case("api/v1/dossiers/<code>/attachments/", "POST (token, 201)", 201)
def _(w, n):
    d = _scanned(w, n)
    headers = w.token("front")
    return same(lambda: w.client.post(f"/api/v1/dossiers/{d.code}/attachments/", {"file": _png(), "note": "KK"},
                                      **headers))


@case("staf/paraf/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.FORWARDED)
    w.login("kasi")
    return same(lambda: w.client.get("/staf/paraf/"))


@case("staf/paraf/", "POST (initial the chosen ones)", 302)
def _(w, n):
    w.login("kasi")
    return each(lambda: [d.code for d in w.dossiers(n, S.FORWARDED)],
                lambda chosen: w.client.post("/staf/paraf/", {"code": chosen}))


@case("staf/tanda-tangan/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.INITIALLED)
    w.login("sekcam")
    return same(lambda: w.client.get("/staf/tanda-tangan/"))


@case("staf/tanda-tangan/", "POST (sign the chosen ones)", 302)
def _(w, n):
    w.login("sekcam")
    return each(lambda: [d.code for d in w.dossiers(n, S.INITIALLED)],
                lambda chosen: w.client.post("/staf/tanda-tangan/", {"code": chosen}))


def _api_intake(w, n, **over):
    code = w.service(n)
    ids = w.items(code)
    body = {"service": code, "applicant": _applicant_form(**over), "present": ids, "originals": ids,
            "answers": {"pindah_antar_kota_provinsi": True}}
    headers = w.token("front")
    return same(lambda: w.client.post("/api/v1/dossiers/", body, content_type="application/json", **headers))


@case("api/v1/dossiers/", "POST (token, 201)", 201)
def _(w, n):
    return _api_intake(w, n)


@case("api/v1/dossiers/", "POST (token, invalid, 400)", 400)
def _(w, n):
    return _api_intake(w, n, nik="123")


@case("api/v1/applicants/<nik>/last/", "GET (token)", rows=True)
def _(w, n):
    for _ in range(n):  # n earlier dossiers of the same citizen
        w.dossier(S.RECEIVED)
    headers = w.token("front")
    return same(lambda: w.client.get(f"/api/v1/applicants/{applicant_data()['nik']}/last/?service=pindah", **headers))


@case("api/v1/dossiers/<code>/", "GET (token)", rows=True)
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    headers = w.token("front")
    return same(lambda: w.client.get(f"/api/v1/dossiers/{d.code}/", **headers))


@case("api/v1/dossiers/<code>/", "GET (session)", rows=True)
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/api/v1/dossiers/{d.code}/"))


@case("api/v1/track/<code>/", "GET", rows=True)
def _(w, n):
    d = w.dossier(S.HANDED_OVER, history=n)
    return same(lambda: w.client.get(f"/api/v1/track/{d.code}/"))


@case("api/v1/track/<code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.RECEIVED)
    return same(lambda: w.client.get("/api/v1/track/ZZZZZZZZ/"))


@case("api/v1/verify/<code>/", "GET")
def _(w, n):
    d = w.dossiers(n, S.REGISTERED)[-1]
    return same(lambda: w.client.get(f"/api/v1/verify/{d.verification_code}/"))


@case("api/v1/verify/<code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    return same(lambda: w.client.get("/api/v1/verify/ZZZZZZZZ/"))
