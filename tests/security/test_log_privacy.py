"""No NIK, KK number or telephone number in the logs.

A whole dossier flow runs through the web views and the API — intakes with a real NIK, KK and
phone (tests/factories.py, and the same numbers typed with spaces and in +62 form), an intake
returned with missing items, a Kasi's return with missing items, resubmissions, forward,
initial, sign, register, handover, the public tracking and verification pages, failed
intakes with a bad NIK and a bad phone (web 400 and API 400), a 403 and a 409 through the
API, a 403 through the web — while every log record is captured:

- caplog at DEBUG on the root logger (the LOKET_LOG_LEVEL=DEBUG case of settings.LOGGING),
  and at DEBUG on the loggers Loket, Django (django.request among them), ninja and axes use;
- a handler of our own on every logger that does not propagate to the root (e.g. django.server);
- the process's stdout/stderr (capfd: print() and the console StreamHandler of settings.LOGGING).

Each record is searched whole: its message, msg, args, exception text and stack, and every
other attribute (e.g. the request that django.request attaches). The numbers are searched for
in any formatting: digits separated by spaces, dots, dashes or brackets, and the phone with its
leading 0, 62 or +62.
"""

from __future__ import annotations

import html

import logging
import re
import sys

import pytest
from django.core.cache import cache

from loket.api.models import ApiToken
from loket.core import codes
from loket.dossiers.models import Dossier
from tests.factories import applicant_data

S = Dossier.State
A = applicant_data()
NIK, KK, PHONE = A["nik"], A["kk_number"], A["phone"]  # 3577014508900001, 3577010101100002, 081234567890
BAD_NIK = "3577019908900001"     # day 99: refused
BAD_PHONE = "0899-1234-5678-9012"  # 16 digits: refused
assert PHONE.startswith("0")


def _digits_pattern(digits: str) -> re.Pattern:
    """The digits in order, with any separators people type between them."""
    return re.compile(r"[\s.\-/()]*".join(map(re.escape, digits)))


SECRETS = {
    "NIK": _digits_pattern(NIK),
    "KK": _digits_pattern(KK),
    # the subscriber part without the trunk 0: matches 0812…, 62812…, +62 812-…
    "phone": _digits_pattern(PHONE[1:]),
    "bad NIK": _digits_pattern(BAD_NIK),
    "bad phone": _digits_pattern("".join(ch for ch in BAD_PHONE if ch.isdigit())[1:]),
}


def test_the_patterns_catch_every_formatting():
    for text in ["3577014508900001", "3577 0145 0890 0001", "35.77.01.450890.0001", "3577-0145-0890-0001"]:
        assert SECRETS["NIK"].search(f"x {text} y"), text
    for text in ["081234567890", "0812 3456 7890", "0812-3456-7890", "+6281234567890", "+62 812 3456 7890",
                 "62-812-3456-7890", "(0812) 3456-7890"]:
        assert SECRETS["phone"].search(f"x {text} y"), text
    assert SECRETS["KK"].search("KK 3577 0101 0110 0002")
    assert not any(p.search("dossier ABCD2345 taken in for service pindah, state received 2024-01-02 10:11:12")
                   for p in SECRETS.values())


# --- capture ---------------------------------------------------------------------------------

class _Keep(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# Loket's loggers follow the root (LOKET_LOG_LEVEL). Django's own loggers keep the level
# Django's DEFAULT_LOGGING gives the "django" logger (INFO): settings.LOGGING configures only the
# root, so even LOKET_LOG_LEVEL=DEBUG does not turn on django.template's or django.db's DEBUG
# records — see test_django_debug_records_stay_off_under_the_projects_logging for why that
# matters and for the guard. Everything Django logs at INFO and above (django.request's 4xx/5xx
# warnings, django.security) is captured.
DEBUG_LOGGERS = ["loket", "ninja", "axes", "py.warnings"]


class _CurrentStderr:
    """Writes to whatever sys.stderr is at the time (pytest swaps it between setup and call)."""

    def write(self, text):
        return sys.stderr.write(text)

    def flush(self):
        sys.stderr.flush()


def _stream_handlers():
    """The plain StreamHandlers of the logging config (settings.LOGGING's "console")."""
    loggers = [logging.root] + [l for l in logging.root.manager.loggerDict.values() if isinstance(l, logging.Logger)]
    return {h for l in loggers for h in l.handlers if type(h) is logging.StreamHandler}


@pytest.fixture
def all_logs(caplog, capfd):
    """Every record of every logger at the most verbose level the project's logging allows,
    propagating or not; and the console handlers of settings.LOGGING write into capfd."""
    swapped = [(h, h.stream) for h in _stream_handlers()]
    for handler, _ in swapped:
        handler.stream = _CurrentStderr()  # not setStream(): it flushes the old stream
    caplog.set_level(logging.DEBUG)  # the root logger: LOKET_LOG_LEVEL=DEBUG
    for name in DEBUG_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    assert logging.getLogger("django.request").getEffectiveLevel() <= logging.WARNING
    keep = _Keep()
    attached = []
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and not logger.propagate:
            logger.addHandler(keep)
            attached.append(logger)
    logging.captureWarnings(True)
    yield lambda: list(caplog.records) + keep.records
    logging.captureWarnings(False)
    for logger in attached:
        logger.removeHandler(keep)
    for handler, stream in swapped:
        handler.stream = stream


def _record_texts(record: logging.LogRecord) -> list[str]:
    texts = [str(record.msg), repr(record.args)]
    try:
        texts.append(record.getMessage())
    except Exception as exc:  # a broken format string is a failure of its own
        texts.append(f"<unformattable: {exc}>")
    fmt = logging.Formatter()
    if record.exc_info:
        texts.append(fmt.formatException(record.exc_info))
        texts.append(repr(record.exc_info[1]))
    if record.exc_text:
        texts.append(record.exc_text)
    if record.stack_info:
        texts.append(record.stack_info)
    for key, value in vars(record).items():
        if key not in {"msg", "args", "exc_info", "exc_text", "stack_info", "created", "msecs", "relativeCreated",
                       "thread", "process"}:
            texts.append(f"{key}={value!r}")
    return texts


# The app's own example in its error message ("Nomor telepon tidak valid; contoh 081234567890.",
# services.applicant_clean) happens to be the factory's phone number: that text is not a leak.
EXAMPLE = "contoh 081234567890"


def _leaks(records, output: str) -> list[str]:
    found = []
    output = output.replace(EXAMPLE, "contoh <EXAMPLE>")
    for record in records:
        for text in _record_texts(record):
            text = text.replace(EXAMPLE, "contoh <EXAMPLE>")
            for what, pattern in SECRETS.items():
                if pattern.search(text):
                    found.append(f"{what} in {record.name} {record.levelname}: {text[:300]}")
    for what, pattern in SECRETS.items():
        for m in pattern.finditer(output):
            found.append(f"{what} on stdout/stderr: …{output[max(0, m.start() - 120):m.end() + 40]}…")
    return found


# --- the flow --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _web_form(items, **over):
    data = dict(A)
    data["birth_date"] = data["birth_date"].isoformat()
    data.update({"service": "pindah", "submit": "1", "present": items, "original": items})
    data.update(over)
    return data


def _api_body(items, **over):
    a = dict(A)
    a["birth_date"] = a["birth_date"].isoformat()
    a.update(over)
    return {"service": "pindah", "applicant": a, "present": items, "originals": items}


def _web_flow(client, people, items) -> Dossier:
    web = client

    def as_(role):
        web.force_login(people[role])

    # a failed intake: bad NIK and bad phone → 400, nothing saved
    as_("front")
    r = web.post("/staf/berkas/baru/", _web_form(items, nik=BAD_NIK, phone=BAD_PHONE))
    assert r.status_code == 400
    page = r.content.decode()
    assert "NIK" in page and "Nomor telepon tidak valid" in page
    # an incomplete intake, typed with spaces: asked once with what is missing, then returned
    form = _web_form(items[:1], original=items[:1], nik="3577 0145 0890 0001", phone="0812 3456 7890")
    r = web.post("/staf/berkas/baru/", form)
    assert r.status_code == 200 and not Dossier.objects.exists()
    confirmed = [html.unescape(m) for m in re.findall(r'name="confirmed" value="([^"]*)"', r.content.decode())]
    assert confirmed
    r = web.post("/staf/berkas/baru/", {**form, "submit": "kembalikan", "confirmed": confirmed})
    assert r.status_code == 302, r.content[:500]
    d = Dossier.objects.latest("pk")
    assert d.state == S.RETURNED and d.transitions.last().missing
    code = d.code
    # the staff screens of the dossier, its papers, the search by NIK and the register
    for url in [f"/staf/berkas/{code}/", f"/staf/berkas/{code}/tanda-terima.pdf",
                f"/staf/berkas/{code}/slip-pengembalian.pdf", "/staf/berkas/", "/staf/register/"]:
        assert web.get(url).status_code == 200, url
    assert code in web.get("/staf/berkas/cari/", {"q": NIK}).content.decode()
    # resubmitted complete → received; forwarded; the Kasi returns it with missing items
    assert web.post(f"/staf/berkas/{code}/resubmit/", {"present": items, "original": items}).status_code == 302
    assert web.post(f"/staf/berkas/{code}/forward/", {}).status_code == 302
    as_("kasi")
    assert web.post(f"/staf/berkas/{code}/return/", {
        "reason": "Tanda tangan lurah tidak ada", "missing": "Surat Pengantar RT/ RW\nKartu Keluarga asli"}).status_code == 302
    assert Dossier.objects.get(code=code).state == S.RETURNED
    # a wrong role on the web: refused with a message; a wrong role at intake: 403
    as_("bendahara")
    web.post(f"/staf/berkas/{code}/resubmit/", {"present": items, "original": items})
    as_("camat")
    assert web.post("/staf/berkas/baru/", _web_form(items)).status_code == 403
    # back at the counter, and on to the end
    as_("front")
    web.post(f"/staf/berkas/{code}/resubmit/", {"present": items, "original": items})
    web.post(f"/staf/berkas/{code}/forward/", {})
    as_("kasi")
    web.post(f"/staf/berkas/{code}/initial/", {})
    as_("sekcam")
    web.get("/staf/tanda-tangan/")
    web.post("/staf/tanda-tangan/", {"code": [code]})
    as_("front")
    web.post(f"/staf/berkas/{code}/register/", {})
    web.post(f"/staf/berkas/{code}/handover/", {})
    d = Dossier.objects.get(code=code)
    assert d.state == S.HANDED_OVER, d.state
    for url in [f"/staf/berkas/{code}/stempel-verifikasi.pdf", "/staf/register/", "/staf/register/ekspor.xlsx",
                "/staf/register/ekspor.pdf"]:
        assert web.get(url).status_code == 200, url
    web.logout()
    # the public pages
    assert web.get(f"/lacak/{codes.display(code)}/").status_code == 200
    assert web.get("/lacak/ZZZZZZZZ/").status_code == 404
    assert web.get(f"/verifikasi/{d.verification_code}/").status_code == 200
    assert web.get("/verifikasi/ZZZZZZZZZZZZ/").status_code == 404
    return d


def _api_flow(client, people, items) -> Dossier:
    tokens = {}

    def post(url, body, role):
        if role not in tokens:
            tokens[role] = ApiToken.issue(user=people[role], name="log")[1]
        return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {tokens[role]}")

    # failed intakes: bad NIK and bad phone (400 with field errors), a missing field (schema 400)
    r = post("/api/v1/dossiers/", _api_body(items, nik=BAD_NIK, phone=BAD_PHONE), "front")
    assert r.status_code == 400 and {"nik", "phone"} <= set(r.json()["errors"])
    r = post("/api/v1/dossiers/", {"service": "pindah", "applicant": {"nik": NIK, "phone": PHONE}}, "front")
    assert r.status_code == 400
    # intake in +62 form, KK with spaces, incomplete: returned with what is missing
    r = post("/api/v1/dossiers/", _api_body(items[:1], phone="+62 812-3456-7890", kk_number="3577 0101 0110 0002"),
             "front")
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["state"] == S.RETURNED and r.json()["missing"]
    assert post(f"/api/v1/dossiers/{code}/resubmit/", {"present": items, "originals": items}, "front").status_code == 200
    # a 403 (wrong role) and a 409 (wrong state)
    r = post(f"/api/v1/dossiers/{code}/forward/", {}, "kasi")
    assert r.status_code == 403
    r = post(f"/api/v1/dossiers/{code}/initial/", {}, "kasi")
    assert r.status_code == 409
    r = post("/api/v1/dossiers/", _api_body(items), "camat")
    assert r.status_code == 403
    for action, role in [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front"),
                         ("handover", "front")]:
        r = post(f"/api/v1/dossiers/{code}/{action}/", {}, role)
        assert r.status_code == 200, (action, r.content)
    client.get(f"/api/v1/dossiers/{code}/", HTTP_AUTHORIZATION=f"Bearer {tokens['front']}")
    assert client.get("/api/v1/dossiers/ZZZZZZZZ/").status_code == 401
    d = Dossier.objects.get(code=code)
    assert client.get(f"/api/v1/track/{code}/").status_code == 200
    assert client.get("/api/v1/track/ZZZZZZZZ/").status_code == 404
    assert client.get(f"/api/v1/verify/{d.verification_code}/").status_code == 200
    assert client.get("/api/v1/verify/ZZZZZZZZZZZZ/").status_code == 404
    return d


def _complaint_flow(client, people, office) -> None:
    """Complaints with the same phone: on the web form (also refused for a bad phone), recorded
    by staff, through the public API, answered, reopened on the tracking page."""
    from loket.complaints import spam
    from loket.complaints.models import Complaint

    cache.clear()
    form = {"kind": "pengaduan", "name": "Siti Aminah", "phone": "+62 812-3456-7890", "reply_via": "whatsapp",
            "subject": "Antrean", "text": "Antrean di loket terlalu lama pagi ini.",
            spam.STAMP_FIELD: spam.stamp_new(at=__import__("time").time() - 60)}
    assert client.post(f"/{office.slug}/pengaduan/", {**form, "phone": BAD_PHONE}).status_code == 400
    r = client.post(f"/{office.slug}/pengaduan/", form)
    assert r.status_code == 302, r.content[:300]
    web_code = Complaint.objects.latest("pk").code
    r = client.post("/api/v1/complaints/", {k: v for k, v in form.items() if k != spam.STAMP_FIELD} | {"phone": PHONE},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    client.force_login(people["front"])
    r = client.post("/staf/pengaduan/baru/", {**form, "channel": "telepon", "phone": PHONE, "submit": "1"})
    assert r.status_code == 302, r.content[:300]
    assert client.post(f"/staf/pengaduan/{web_code}/answer/", {"text": "Loket kini buka 07.30."}).status_code == 302
    client.get(f"/staf/pengaduan/{web_code}/")
    client.logout()
    assert client.post(f"/pengaduan/lacak/{web_code}/tanggapan/", {"satisfied": "0"}).status_code == 302
    assert Complaint.objects.get(code=web_code).state == "reopened"


def _privacy_flow(client, people, office) -> None:
    """UU 27/2022 (issue 19): a data-subject request with the NIK and a phone as its contact (also
    refused for a bad NIK, on the page and through the API), its copy as PDF and JSON (page and
    API), the access record searched by that NIK (page and API, also with a bad NIK), a breach
    with its letters and a notice, and the retention run, dry and applied."""
    from django.core.management import call_command

    from loket.privacy.models import Officer, Request

    Officer.objects.get_or_create(office=office, defaults={
        "user": people["kasi_other"], "name": "Pejabat PDP", "position": "Kasubbag Umum", "telephone": "0351"})
    request = {"kind": "akses", "nik": "3577 0145 0890 0001", "name": "Siti Aminah", "contact": "+62 812-3456-7890",
               "identity": "ktp", "identity_note": "", "details": "Minta salinan data saya."}
    client.force_login(people["front"])
    assert client.post("/staf/privasi/permintaan/baru/", {**request, "nik": BAD_NIK}).status_code == 400
    assert client.post("/staf/privasi/permintaan/baru/", request).status_code == 302
    code = Request.objects.latest("pk").code
    token = ApiToken.issue(user=people["camat"], name="log")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.post("/api/v1/privacy/requests/", {**request, "nik": BAD_NIK, "contact": BAD_PHONE},
                    content_type="application/json", **auth)
    assert r.status_code == 400
    client.force_login(people["camat"])
    for url in [f"/staf/privasi/permintaan/{code}/", f"/staf/privasi/subjek/{code}/data.pdf",
                f"/staf/privasi/subjek/{code}/data.json", f"/staf/privasi/subjek/{code}/catatan/"]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/api/v1/privacy/requests/{code}/data", **auth).status_code == 200
    assert client.get("/staf/privasi/akses/", {"nik": NIK}).status_code == 200
    too_long = NIK + "9"  # not 16 digits: said on the page, 400 from the API
    assert client.get("/staf/privasi/akses/", {"nik": too_long}).status_code == 200
    assert client.get("/api/v1/privacy/access/", {"nik": NIK}, **auth).status_code == 200
    assert client.get("/api/v1/privacy/access/", {"nik": too_long}, **auth).status_code == 400
    assert client.post(f"/staf/privasi/permintaan/{code}/jawab/", {"answer": "Salinan diserahkan."}).status_code == 302
    breach = {"title": "Laptop loket hilang", "description": f"Berisi data pemohon NIK {NIK}, telepon {PHONE}.",
              "known_at": "2026-12-01T08:00", "occurred_at": "", "data_affected": "NIK, telepon",
              "subjects_affected": "Pemohon", "subjects_count": "12", "actions": "Kata sandi diganti.", "authority": ""}
    assert client.post("/staf/privasi/kegagalan/baru/", {**breach, "known_at": "kemarin"}).status_code == 400
    r = client.post("/staf/privasi/kegagalan/baru/", breach)
    assert r.status_code == 302, r.content[:300]
    breach_url = r["Location"]
    for letter in ("surat-subjek.pdf", "surat-lembaga.pdf"):
        assert client.get(f"{breach_url}{letter}").status_code == 200, letter
    assert client.post(f"{breach_url}notify_subjects/", {"at": "", "note": f"Dikirim ke {PHONE}."}).status_code == 302
    client.logout()
    call_command("retention", stdout=sys.stdout)
    call_command("retention", "--apply", "--today", "2035-01-01", stdout=sys.stdout)


def test_no_personal_numbers_in_any_log(client, people, all_items, all_logs, capfd):
    _web_flow(client, people, all_items)
    _api_flow(client, people, all_items)
    _complaint_flow(client, people, people["front"].staff.office)
    _privacy_flow(client, people, people["front"].staff.office)
    records = all_logs()
    out, err = capfd.readouterr()
    # the capture works: the flow's own records are there
    names = {r.name for r in records}
    assert "loket.dossiers.services" in names and "django.request" in names, names
    assert "loket.complaints.services" in names, names
    messages = [r.getMessage() for r in records]
    assert any(m.startswith("Forbidden") for m in messages), messages
    assert any(m.startswith("Bad Request") for m in messages), messages
    assert any(m.startswith("Conflict") for m in messages), messages
    assert any("taken in" in m for m in messages), messages
    assert "taken in" in out + err  # settings.LOGGING's console handler writes to stderr, and is captured
    leaks = _leaks(records, out + err)
    assert not leaks, "\n".join(leaks)


def test_django_debug_records_stay_off_under_the_projects_logging():
    """Django's DEBUG records carry data: django.template logs the whole template context on every
    failed variable lookup (the staff search's ``q`` — a NIK —, the intake form's errors …) and
    django.db.backends logs SQL with its parameters when DEBUG is on. Under settings.LOGGING they
    are never emitted, even with LOKET_LOG_LEVEL=DEBUG and LOKET_DEBUG=1, because only the root
    logger is configured and the "django" logger keeps Django's INFO. Raising "django" to DEBUG
    in settings.LOGGING would write NIKs to the log: this guard fails first."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LOKET_LOG_LEVEL": "DEBUG", "LOKET_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "loket.settings"}
    env.pop("DATABASE_URL", None)
    code = ("import logging, django; django.setup(); "
            "print(*(logging.getLogger(n).getEffectiveLevel() for n in "
            "('root', 'loket.dossiers.services', 'django.template', 'django.db.backends', 'django.request')))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    root, loket_, template, db_, request = map(int, out.stdout.split())
    assert root == loket_ == logging.DEBUG
    assert template > logging.DEBUG and db_ > logging.DEBUG
    assert request <= logging.WARNING


def test_the_leak_check_would_see_a_leak(caplog, capfd):
    """Guards the checker: a NIK in args, in an exception, or printed, is found."""
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("loket.test")
    log.info("applicant %s", "3577 0145 0890 0001")
    try:
        raise ValueError("phone +62 812-3456-7890")
    except ValueError:
        log.exception("failed")
    log.warning("ok", extra={"payload": {"kk": KK}})
    import sys
    print("nik", NIK, file=sys.stderr)
    out, err = capfd.readouterr()
    leaks = _leaks(caplog.records, out + err)
    assert any(l.startswith("NIK in loket.test") for l in leaks)
    assert any(l.startswith("phone in loket.test") for l in leaks)
    assert any(l.startswith("KK in loket.test") for l in leaks)
    assert any(l.startswith("NIK on stdout/stderr") for l in leaks)


# --- the public verification page -------------------------------------------------------------

def _no_personal_data(text: str) -> None:
    for what, pattern in SECRETS.items():
        assert not pattern.search(text), what
    assert NIK[:6] + "*" not in text  # not even the masked NIK
    assert "Siti" not in text and "Aminah" not in text


def test_public_verification_shows_a_masked_name_and_no_nik(client, people, all_items):
    d = _web_flow(client, people, all_items)
    entry = d.register_entry
    assert entry.nik == NIK and entry.name == "Siti Aminah"  # the book itself holds them
    page = client.get(f"/verifikasi/{d.verification_code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "S*** A*****" in text and entry.number_display in text
    _no_personal_data(text)
    body = client.get(f"/api/v1/verify/{d.verification_code}/")
    assert body.json()["name"] == "S*** A*****"
    _no_personal_data(body.content.decode())
    # the tracking answers carry no name at all
    _no_personal_data(client.get(f"/lacak/{d.code}/").content.decode())
    _no_personal_data(client.get(f"/api/v1/track/{d.code}/").content.decode())
