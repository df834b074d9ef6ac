"""The counter at the citizen's pace: how many inputs, and how many seconds of people's time,
one KTP-el legalisation takes through the real screens (issue 15, item 9).

A headless system Chromium (Debian's /usr/bin/chromium, Playwright's sync API) performs one
KTP-el legalisation end to end — front office intake, forward, Kasi paraf, Sekcam signature
a.n. Camat, front office register and handover — for four scenarios:

    first-complete      a citizen new to this office, every paper present
    returning-complete  the same NIK again (their previous dossier at this office is handed over)
    first-missing       a new citizen without the pas foto: returned, later resubmitted complete
    returning-missing   that citizen again, again without the pas foto

Every action a person takes goes through a ``Recorder`` that counts it by kind and role. The
benchmark's own navigation is not counted: logging in and out, and opening the page a role lands
on after logging in (each role's part starts there, as if that person had been at their desk all
day). Everything from that page on is counted, including finding the dossier.

The steps read the page and use the fewest inputs the screens offer: a control of the faster
screens (birth date and sex from the NIK, a returning citizen's data offered, "Lengkap semua",
"Simpan & teruskan ke Kasi", batch paraf, "Register & serahkan", Enter that submits) is used
when it is there, today's controls otherwise. A field already holding the right value (prefilled,
or read-only) is not typed. The counts are what was actually done.

Human-time model (seconds), an estimate, not a measurement:
    click (a button, link, tick box; also accepting a confirmation)    1.5
    choice from a drop-down list (open, find, pick)                      3
    short typed field, up to 12 characters (name, date, RT, RW, phone)  3
    long typed field, more than 12 characters (address, NIK, KK)        6
    Enter that submits a form (focus already in one of its fields)       1

    .venv/bin/python bench/counter.py            # about 2–3 minutes on 2 cores; prints the tables
    .venv/bin/python bench/counter.py --steps    # also every counted action
    .venv/bin/python bench/counter.py --doc --label NAME   # also writes its subsection of docs/performance.md
    .venv/bin/python bench/counter.py --viewport 800x1280  # a tablet's window (touch), default 1280x900

Runs Loket on a throw-away SQLite database in a temporary folder (``loket setup --demo``,
``loket collectstatic``, ``loket runserver`` on a free loopback port), removed at the end.
Prints human-readable tables and ``RESULT {json}`` last. Not a test: nothing passes or fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/browser/conftest.py launches it
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 15_000
DOC = ROOT / "docs" / "performance.md"
DOC_HEADING = "## The counter at the citizen's pace (bench/counter.py)"

# --- the model ------------------------------------------------------------------------------

CLICK, CHOICE, SHORT, LONG, ENTER = "click", "choice", "short", "long", "enter"
KINDS = (CLICK, CHOICE, SHORT, LONG, ENTER)
SECONDS = {CLICK: 1.5, CHOICE: 3.0, SHORT: 3.0, LONG: 6.0, ENTER: 1.0}
LONG_CHARS = 12  # a typed value longer than this is a long field
KIND_LABELS = {CLICK: "clicks", CHOICE: "choices", SHORT: "short typed", LONG: "long typed", ENTER: "Enter"}

FRONT, KASI, SIGNER = "front office", "Kasi", "Camat/Sekcam"
ROLES = (FRONT, KASI, SIGNER)

# Goals of issue 15: front office ≤ 10 inputs and ≤ 60 s for a first-time citizen, ≤ 5 inputs for
# a returning one; all roles together ≤ 16 inputs.
GOAL_FRONT_FIRST_INPUTS = 10
GOAL_FRONT_FIRST_SECONDS = 60.0
GOAL_FRONT_RETURNING_INPUTS = 5
GOAL_ALL_INPUTS = 16


def seconds_of(counts: dict[str, int]) -> float:
    """Estimated human seconds for counts by kind."""
    return sum(SECONDS[k] * n for k, n in counts.items())


def inputs_of(counts: dict[str, int]) -> int:
    return sum(counts.values())


@dataclass
class Action:
    role: str
    kind: str
    what: str


def _then_next_page(locator, act, navigates: bool) -> None:
    """Do ``act``; when it ``navigates``, return once the next page has loaded. A page that does
    not come (a control that turned out to act in place) is not an error here: the step's own
    check that follows says whether the act took effect."""
    if not navigates:
        act()
        return
    try:
        with locator.page.expect_navigation(timeout=TIMEOUT_MS):
            act()
    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError; any other error is raised again
        if "Timeout" not in type(exc).__name__:
            raise


@dataclass
class Recorder:
    """Every action a person takes on a page goes through here; it is done and counted by kind
    under the current role. The benchmark's own navigation (login, landing pages) bypasses it."""

    role: str = FRONT
    actions: list[Action] = field(default_factory=list)

    def _note(self, kind: str, what: str) -> None:
        self.actions.append(Action(self.role, kind, what))

    def click(self, locator, what: str, *, navigates: bool = False) -> None:
        """Click; with ``navigates`` (a link, a form's submit button) wait for the next page."""
        _then_next_page(locator, locator.click, navigates)
        self._note(CLICK, what)

    def tick(self, locator, what: str) -> None:
        locator.check()
        self._note(CLICK, what)

    def choose(self, locator, value: str, what: str) -> None:
        locator.select_option(value)
        self._note(CHOICE, what)

    def type(self, locator, value: str, what: str, *, long: bool | None = None) -> None:
        """Type ``value``; a field is long when said so (free text) or when the value has more than
        LONG_CHARS characters (an address, a 16-digit NIK or KK number read off a card)."""
        locator.fill(value)
        self._note(LONG if long or (long is None and len(value) > LONG_CHARS) else SHORT, what)

    def untick(self, locator, what: str) -> None:
        locator.uncheck()
        self._note(CLICK, what)

    def enter(self, locator, what: str, *, navigates: bool = True) -> None:
        _then_next_page(locator, lambda: locator.press("Enter"), navigates)
        self._note(ENTER, what)

    def confirmed(self, what: str) -> None:
        """A confirmation the browser showed (a dialog), accepted with one click."""
        self._note(CLICK, what)

    def counts(self, role: str | None = None) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for a in self.actions:
            if role is None or a.role == role:
                out[a.kind] += 1
        return out


# --- reading the page -----------------------------------------------------------------------

def present(locator) -> bool:
    """The locator matches at least one visible element."""
    try:
        return locator.count() > 0 and locator.first.is_visible()
    except Exception:  # noqa: BLE001 - a detached or missing element is simply not there
        return False


def editable(locator) -> bool:
    return present(locator) and locator.first.is_editable()


def same_value(shown: str, wanted: str) -> bool:
    """The field already says what would be typed: equal once trimmed, numbers by their value
    (a prefilled RT "001" is RT 1; nobody retypes it)."""
    shown, wanted = shown.strip(), wanted.strip()
    if shown.isdigit() and wanted.isdigit() and len(shown) < 10 and len(wanted) < 10:
        return int(shown) == int(wanted)
    return shown == wanted


def type_if_needed(rec: Recorder, locator, value: str, what: str, *, long: bool | None = None) -> None:
    """Type a field unless it is absent, read-only, or already holds the value (prefilled)."""
    if not present(locator):
        return
    el = locator.first
    if same_value(el.input_value(), value) or not el.is_editable():
        return
    rec.type(el, value, what, long=long)


def choose_if_needed(rec: Recorder, locator, value: str, what: str) -> None:
    if not present(locator):
        return
    el = locator.first
    if el.input_value() == value or not el.is_enabled():
        return
    rec.choose(el, value, what)


# Enter submits a form when the focus is in one of its text fields and the form's default button
# (its first submit button) is the one wanted: then a clerk presses Enter instead of clicking.
_ENTER_SUBMITS = """b => {
  const f = b.form, a = document.activeElement;
  if (!f || !a || a.form !== f || a.tagName !== 'INPUT') return false;
  if (!['text', 'search', 'tel', 'email', 'number', 'date', 'password', 'url'].includes(a.type)) return false;
  const first = [...f.elements].find(e => (e.tagName === 'BUTTON' && e.type === 'submit')
                                       || (e.tagName === 'INPUT' && e.type === 'submit'));
  return first === b;
}"""


def send(rec: Recorder, page, button, what: str) -> None:
    """Submit with ``button``: Enter where that works from the focused field, else a click."""
    button = button.first
    if button.evaluate(_ENTER_SUBMITS):
        rec.enter(page.locator(":focus"), what)
    else:
        rec.click(button, what, navigates=True)


def settle(page, pause_ms: int = 0) -> None:
    """Wait until htmx has no request running (a checklist refresh, a prefill)."""
    if pause_ms:
        page.wait_for_timeout(pause_ms)
    # polled from here: a predicate run in the page would need 'unsafe-eval', which Loket's CSP refuses
    busy = page.locator(".htmx-request")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while busy.count() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_load_state()


def button(page_or_form, pattern: str):
    return page_or_form.get_by_role("button", name=re.compile(pattern, re.I))


def dossier_code_on(page) -> str | None:
    code = page.locator("h1 .code")
    return code.first.inner_text().strip() if present(code) else None


# --- one person's steps -----------------------------------------------------------------------

class StepFailed(RuntimeError):
    pass


@dataclass
class Citizen:
    nik: str
    kk_number: str
    name: str
    birth_date: str
    sex: str
    marital_status: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    phone: str


SITI = Citizen("3577014508900001", "3577010101100002", "Siti Aminah", "1990-08-05", "P", "kawin",
               "Jl. Contoh No. 1, Kelurahan Kartoharjo", "1", "2", "35.77.01.1008", "081234567890")
BUDI = Citizen("3577011203850002", "3577011203100003", "Budi Santoso", "1985-03-12", "L", "belum_kawin",
               "Jl. Merpati No. 17, Kelurahan Kartoharjo", "3", "4", "35.77.01.1008", "085678901234")
LEFT_OUT = "Pas Foto"  # the paper a citizen forgets in the "missing" scenarios


def start_intake(rec: Recorder, page) -> None:
    """From the front office's landing page to the KTP-el intake form."""
    direct = page.locator("a[href$='layanan=ktp-el']")
    if not present(direct):
        rec.click(page.get_by_role("link", name=re.compile(r"^Terima berkas", re.I)).first, "Terima berkas baru",
                  navigates=True)
        direct = page.locator("a[href$='layanan=ktp-el']")
    if present(direct):
        rec.click(direct.first, "KTP-el", navigates=True)
    else:
        rec.choose(page.get_by_label("Layanan"), "ktp-el", "Layanan: KTP-el")
        send(rec, page, button(page, r"^Lanjut"), "Lanjut")
    if not present(page.get_by_role("heading", name=re.compile(r"KTP-el"))):
        raise StepFailed("the KTP-el intake form did not open")


def optional(page, name: str) -> bool:
    """Whether the form's label says the field may stay empty ("boleh kosong", "bila perlu")."""
    label = page.locator(f"label[for='id_{name}']")
    return present(label) and bool(re.search(r"boleh kosong|bila perlu", label.first.inner_text(), re.I))


def fill_applicant(rec: Recorder, page, c: Citizen) -> None:
    nik = page.locator("#id_nik")
    type_if_needed(rec, nik, c.nik, "NIK")
    nik.first.press("Tab")  # leaving the field: a prefill from the NIK may follow (not counted: part of typing)
    settle(page, 600)
    offer = button(page, r"(pakai|gunakan|ambil|salin|isi dengan|isi dari).*(data|sebelumnya|terakhir)")
    if present(offer) and not page.locator("#id_name").first.input_value().strip():
        # a returning citizen's last data offered and not filled in by itself: the clerk takes it
        rec.click(offer.first, "use the previous data")
        settle(page)
    if not optional(page, "kk_number"):  # a field the form says may stay empty is left empty
        type_if_needed(rec, page.locator("#id_kk_number"), c.kk_number, "Nomor KK")
    type_if_needed(rec, page.locator("#id_name"), c.name, "Nama lengkap")
    type_if_needed(rec, page.locator("#id_birth_date"), c.birth_date, "Tanggal lahir")
    choose_if_needed(rec, page.locator("#id_sex"), c.sex, "Jenis kelamin")
    if not optional(page, "marital_status") or present(page.get_by_text(re.compile("pilih status perkawinan", re.I))):
        choose_if_needed(rec, page.locator("#id_marital_status"), c.marital_status, "Status perkawinan")
    type_if_needed(rec, page.locator("#id_address"), c.address, "Alamat")
    if present(page.locator("#id_rt_rw")):  # RT/RW typed once, as on the KTP
        type_if_needed(rec, page.locator("#id_rt_rw"), f"{int(c.rt):03d}/{int(c.rw):03d}", "RT/RW")
    else:
        type_if_needed(rec, page.locator("#id_rt"), c.rt, "RT")
        type_if_needed(rec, page.locator("#id_rw"), c.rw, "RW")
    choose_if_needed(rec, page.locator("#id_kelurahan"), c.kelurahan, "Kelurahan")
    type_if_needed(rec, page.locator("#id_phone"), c.phone, "Telepon")
    settle(page)


def short(text: str, n: int = 32) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def _label_of(scope, box) -> str:
    box_id = box.get_attribute("id")
    label = scope.locator(f"label[for='{box_id}']") if box_id else None
    return label.first.inner_text().strip() if label is not None and present(label) else (box_id or "?")


def tick_papers(rec: Recorder, page, scope, *, leave_out: str | None) -> list[str]:
    """Tick every paper shown (and "asli ditunjukkan") except ``leave_out``; with "Lengkap semua"
    when that takes fewer clicks. Returns the labels of the boxes left unticked on purpose."""
    boxes = scope.locator("input[type=checkbox][name=present], input[type=checkbox][name=original]")
    todo, skipped, skip_boxes = [], [], []
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.is_visible():
            continue
        text = _label_of(scope, box)
        is_left_out = bool(leave_out) and box.get_attribute("name") == "present" and text.startswith(leave_out)
        if is_left_out:
            skipped.append(text)
            skip_boxes.append(box)
            continue
        if not box.is_checked() and box.is_enabled():
            todo.append((box, text))
    all_button = button(scope, r"^Lengkap semua")
    if not present(all_button) and button(page, r"^Lengkap semua").count() == 1:
        all_button = button(page, r"^Lengkap semua")  # outside the form, the only one on the page
    undo = [b for b in skip_boxes if not b.is_checked()]
    if present(all_button) and todo and 1 + len(undo) < len(todo):
        rec.click(all_button.first, "Lengkap semua")
        settle(page)
        for box in skip_boxes:
            if box.is_checked():
                rec.untick(box, f"untick {short(_label_of(scope, box))}")
    else:
        for box, text in todo:
            rec.tick(box, f"tick {short(text)}")
    settle(page)
    if leave_out and not skipped:
        raise StepFailed(f"no paper starting with {leave_out!r} on the checklist")
    return skipped


def accept_confirmation(rec: Recorder, page) -> None:
    """Saving an incomplete dossier may ask once before it returns it (a page section or a dialog)."""
    settle(page)
    if dossier_code_on(page):
        return
    confirm = button(page, r"kembalikan|tetap simpan|^ya\b|^lanjutkan")
    if present(confirm):
        rec.click(confirm.first, f"confirm: {confirm.first.inner_text().strip()[:40]}", navigates=True)
        page.wait_for_load_state()


def intake(rec: Recorder, page, c: Citizen, *, missing: bool) -> str:
    """Front office: take in the dossier; a complete one goes on to the Kasi. Returns the code."""
    rec.role = FRONT
    start_intake(rec, page)
    fill_applicant(rec, page, c)
    form = page.locator("form.intake")
    tick_papers(rec, page, form, leave_out=LEFT_OUT if missing else None)
    both = button(page, r"^Simpan\s*(&|dan)\s*teruskan")
    save_only = button(page, r"^Simpan berkas")
    if not missing and present(both):
        send(rec, page, both, "Simpan & teruskan ke Kasi")
    else:
        send(rec, page, save_only if present(save_only) else both, "Simpan berkas")
    page.wait_for_load_state()
    accept_confirmation(rec, page)
    code = dossier_code_on(page)
    if not code:
        errors = page.locator(".error").all_inner_texts()
        raise StepFailed(f"intake did not save: {errors[:5]}")
    if missing:
        if not present(page.locator("section.returned")):
            raise StepFailed("an incomplete dossier was not returned")
    else:
        forward(rec, page)
    return code


def forward(rec: Recorder, page) -> None:
    fwd = button(page, r"^Teruskan ke")
    if present(fwd):
        send(rec, page, fwd, "Teruskan ke Kasi")
        page.wait_for_load_state()
    state = page.locator(".lead .state")
    if present(state) and "Kasi" not in state.first.inner_text():
        raise StepFailed(f"not forwarded to the Kasi (state: {state.first.inner_text()})")


def open_dossier(rec: Recorder, page, code: str, *, nav: str | None = None) -> None:
    """Open the dossier from the page this person is on: its link in a work list, after the
    role's menu link ``nav`` if needed, else by the staff search with the code from the receipt."""
    if dossier_code_on(page) == code:
        return
    link = page.get_by_role("link", name=code, exact=True)
    if not present(link) and nav:
        menu = page.locator("nav.staffnav").get_by_role("link", name=re.compile(nav, re.I))
        if present(menu):
            rec.click(menu.first, nav, navigates=True)
            link = page.get_by_role("link", name=code, exact=True)
    if not present(link):
        box = page.get_by_placeholder(re.compile(r"Kode", re.I))
        rec.type(box.first, code, "search: code")
        send(rec, page, button(page.locator("form[role=search]"), r"^Cari"), "Cari")
        page.wait_for_load_state()
        if dossier_code_on(page) == code:
            return
        link = page.get_by_role("link", name=code, exact=True)
    rec.click(link.first, f"open {code}", navigates=True)
    page.wait_for_load_state()
    if dossier_code_on(page) != code:
        raise StepFailed(f"could not open {code}")


def resubmit(rec: Recorder, page, code: str) -> None:
    """Front office, the citizen back with the missing paper: take it back complete and forward."""
    rec.role = FRONT
    open_dossier(rec, page, code)
    form = page.locator("form[action$='/resubmit/']")
    if not present(form):
        raise StepFailed("no resubmit form on the returned dossier")
    tick_papers(rec, page, form, leave_out=None)
    both = button(form, r"^Terima kembali\s*(&|dan)\s*teruskan")
    send(rec, page, both if present(both) else button(form, r"^Terima kembali"), "Terima kembali")
    page.wait_for_load_state()
    forward(rec, page)


def batch_pick(page, code: str, act: str):
    """(tick box of the dossier's row, the submit button of its form) on a list that acts on
    several dossiers at once, or None when the list has no such form."""
    row = page.locator("tr", has=page.get_by_role("link", name=code, exact=True))
    pick = row.locator("input[type=checkbox]")
    if not present(pick):
        pick = page.locator(f"input[type=checkbox][value='{code.replace('-', '')}']")
    if not present(pick):
        return None
    form = pick.first.locator("xpath=ancestor::form[1]")
    go = button(form, act)
    if not present(go):
        form_id = pick.first.get_attribute("form")  # a box tied to a form elsewhere on the page
        go = button(page.locator(f"form#{form_id}"), act) if form_id else go
    return (pick.first, go) if present(go) else None


def initial(rec: Recorder, page, code: str) -> None:
    """Kasi: initial the dossier, from the batch list when it has one, else on the dossier page."""
    rec.role = KASI
    batch = batch_pick(page, code, r"paraf")
    if batch:
        rec.tick(batch[0], "pick dossier")
        send(rec, page, batch[1], "Paraf terpilih")
        page.wait_for_load_state()
        return
    open_dossier(rec, page, code, nav=r"paraf")
    send(rec, page, page.get_by_role("button", name="Paraf", exact=True), "Paraf")
    page.wait_for_load_state()


def sign(rec: Recorder, page, code: str) -> None:
    """Camat/Sekcam: sign, from the list with its tick boxes (the one dossier waiting)."""
    rec.role = SIGNER
    if not present(page.get_by_role("link", name=code, exact=True)):
        menu = page.locator("nav.staffnav").get_by_role("link", name=re.compile(r"tanda tangan", re.I))
        if present(menu):
            rec.click(menu.first, "Menunggu tanda tangan", navigates=True)
    batch = batch_pick(page, code, r"tandatangani")
    if batch:
        rec.tick(batch[0], "pick dossier")
        send(rec, page, batch[1], "Tandatangani terpilih")
        page.wait_for_load_state()
        return
    open_dossier(rec, page, code, nav=r"tanda tangan")
    send(rec, page, button(page, r"^Tandatangani"), "Tandatangani")
    page.wait_for_load_state()


def register_and_hand_over(rec: Recorder, page, code: str) -> None:
    """Front office: register the signed dossier and hand it to the waiting citizen (the agency it
    goes on to is prefilled from the standard and left as it is)."""
    rec.role = FRONT
    row = page.locator("table.worklist tbody tr", has=page.get_by_role("link", name=code, exact=True))
    inline = row.get_by_role("button", name=re.compile(r"^Register\s*(&|dan)\s*serahkan", re.I))
    if present(inline):  # on the counter's list itself: one click, back to the list
        send(rec, page, inline, "Register & serahkan (on the list)")
        page.wait_for_load_state()
        row = page.locator("table.worklist tbody tr", has=page.get_by_role("link", name=code, exact=True))
        if not present(row) or "Diserahkan" not in row.first.inner_text():
            raise StepFailed("the dossier was not handed over from the list")
        return
    open_dossier(rec, page, code)
    both = button(page, r"^Register\s*(&|dan)\s*serahkan")
    if present(both):
        send(rec, page, both, "Register & serahkan")
        page.wait_for_load_state()
    else:
        send(rec, page, button(page, r"^Catat di Buku Register"), "Catat di Buku Register")
        page.wait_for_load_state()
        send(rec, page, button(page, r"^Serahkan"), "Serahkan ke pemohon")
        page.wait_for_load_state()
    state = page.locator(".lead .state")
    if not present(state) or state.first.inner_text().strip() != "Diserahkan":
        raise StepFailed("the dossier was not handed over")


# --- the benchmark's own navigation (not counted) ---------------------------------------------

def login(page, username: str, password: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("button", name=f"Keluar ({username})").wait_for()


def logout(page, username: str) -> None:
    page.get_by_role("button", name=f"Keluar ({username})").click()
    page.get_by_role("link", name="Masuk pegawai").wait_for()


SCENARIOS = [  # name, citizen, returning, missing
    ("first-complete", SITI, False, False),
    ("returning-complete", SITI, True, False),
    ("first-missing", BUDI, False, True),
    ("returning-missing", BUDI, True, True),
]


def scenario(rec: Recorder, page, passwords: dict[str, str], citizen: Citizen, *, missing: bool) -> str:
    as_ = lambda user: login(page, user, passwords[user])  # noqa: E731
    as_("petugas")
    code = intake(rec, page, citizen, missing=missing)
    if missing:  # the citizen comes back later with the photo
        logout(page, "petugas")
        as_("petugas")
        resubmit(rec, page, code)
    logout(page, "petugas")
    as_("kasi.pemerintahan")
    initial(rec, page, code)
    logout(page, "kasi.pemerintahan")
    as_("sekcam")
    sign(rec, page, code)
    logout(page, "sekcam")
    as_("petugas")
    register_and_hand_over(rec, page, code)
    logout(page, "petugas")
    return code


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Loket on a throw-away SQLite database: loket setup --demo, collectstatic, runserver."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_") and k != "DATABASE_URL"}
        self.env.update({"LOKET_DATA_DIR": str(tmp / "data"), "LOKET_ALLOWED_HOSTS": "127.0.0.1",
                         "LOKET_INSECURE_COOKIES": "1", "DJANGO_SETTINGS_MODULE": "loket.settings",
                         "PYTHONUNBUFFERED": "1",
                         "PYTHONPATH": str(ROOT)})  # this checkout's loket, whatever the venv has installed
        self.proc = None
        self.log = None

    def loket(self, *args: str) -> str:
        out = subprocess.run([str(VENV_BIN / "loket"), *args], cwd=ROOT, env=self.env, capture_output=True,
                             text=True, timeout=600)
        if out.returncode:
            raise RuntimeError(f"loket {' '.join(args)} failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
        return out.stdout

    def setup(self) -> dict[str, str]:
        (self.tmp / "data").mkdir(parents=True, exist_ok=True)
        self.loket("setup", "--demo")
        self.loket("collectstatic", "--noinput", "--verbosity", "0")
        rows = (self.tmp / "data" / "demo-accounts.txt").read_text().splitlines()
        return {r.split("\t")[0]: r.split("\t")[1] for r in rows if "\t" in r}

    def start(self) -> None:
        self.log = open(self.tmp / "server.log", "wb")
        self.proc = subprocess.Popen([str(VENV_BIN / "loket"), "runserver", "--noreload", f"127.0.0.1:{self.port}"],
                                     cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("runserver exited:\n" + (self.tmp / "server.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/healthz/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("runserver did not answer /healthz/ in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self.log:
            self.log.close()


# --- the tables --------------------------------------------------------------------------------

def _row(counts: dict[str, int]) -> list[str]:
    return [str(counts[k]) for k in KINDS] + [str(inputs_of(counts)), f"{seconds_of(counts):.1f}"]


def scenario_table(name: str, rec: Recorder) -> list[list[str]]:
    rows = [[name, role, *_row(rec.counts(role))] for role in ROLES]
    rows.append([name, "all roles", *_row(rec.counts())])
    return rows


def goals_of(name: str, rec: Recorder) -> list[tuple[str, str, str, str]]:
    """(goal, measured, limit, ratio to goal; ≥ 1.00 meets it) for one scenario."""
    front = rec.counts(FRONT)
    returning = name.startswith("returning")
    out = []
    if returning:
        limit = GOAL_FRONT_RETURNING_INPUTS
        out.append(("front office inputs (returning)", str(inputs_of(front)), f"≤ {limit}",
                    f"{limit / max(inputs_of(front), 1):.2f}"))
    else:
        limit = GOAL_FRONT_FIRST_INPUTS
        out.append(("front office inputs (first time)", str(inputs_of(front)), f"≤ {limit}",
                    f"{limit / max(inputs_of(front), 1):.2f}"))
        out.append(("front office seconds (first time)", f"{seconds_of(front):.1f}",
                    f"≤ {GOAL_FRONT_FIRST_SECONDS:.0f}", f"{GOAL_FRONT_FIRST_SECONDS / max(seconds_of(front), 1):.2f}"))
    total = inputs_of(rec.counts())
    out.append(("all roles inputs", str(total), f"≤ {GOAL_ALL_INPUTS}", f"{GOAL_ALL_INPUTS / max(total, 1):.2f}"))
    return out


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: "  ".join(str(x).ljust(w) if i < 2 else str(x).rjust(w)  # noqa: E731
                               for i, (x, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def md_table(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |",
                      *("| " + " | ".join(map(str, r)) + " |" for r in rows)])


COUNT_HEADER = ["scenario", "role", *(KIND_LABELS[k] for k in KINDS), "inputs", "est. seconds"]
GOAL_HEADER = ["scenario", "goal", "measured", "limit", "ratio to goal"]


MARKS = {CLICK: "", CHOICE: " (choice)", SHORT: " (typed)", LONG: " (typed, long)", ENTER: " (Enter)"}


def where_inputs_go(results: dict) -> list[str]:
    """One line per scenario and role: the counted actions in order."""
    out = []
    for name, r in results.items():
        for role in ROLES:
            acts = [f"{what}{MARKS[kind]}" for who, kind, what in r["actions"] if who == role]
            if acts:
                out.append(f"- {name}, {role} ({len(acts)}): " + " · ".join(acts))
    return out


def doc_intro() -> str:
    """The section's heading, how to run it and the model (the same for every run)."""
    model = ", ".join(f"{KIND_LABELS[k]} {SECONDS[k]:g} s" for k in KINDS)
    return "\n".join([
        DOC_HEADING, "",
        "*Written by `bench/counter.py --doc`; `bench/run` keeps this section as it is. Each run is its own "
        "subsection, named by `--label`: a run with a new label is added, one with a label already here replaces "
        "that subsection, so the figures before a change stay next to those after it.*", "",
        "One KTP-el legalisation driven end to end through the real screens by a headless system Chromium "
        "(Playwright): front office intake → forward → Kasi paraf → Sekcam signature a.n. Camat → front office "
        "register → handover, for a first-time and a returning citizen (same NIK, previous dossier at this office "
        "handed over), each complete and with the pas foto missing (returned, later resubmitted complete). "
        "Every action of a person goes through a recorder that counts it by kind and role; logging in and out and "
        "opening the page a role lands on after logging in are the benchmark's navigation and are not counted "
        "(each role starts on its landing page, as if at the desk all day); finding the dossier from there is "
        "counted. The steps use the fastest control the screens offer (NIK prefill, returning-citizen data, "
        "\"Lengkap semua\", \"Simpan & teruskan ke Kasi\", batch paraf, \"Register & serahkan\", Enter that "
        "submits) when it is there and today's controls otherwise; a field that already holds the right value is "
        "not typed.", "",
        "Run it (about 2–3 minutes on 2 cores; needs Debian's `chromium` and the test extra's Playwright):", "",
        "```", ".venv/bin/python bench/counter.py           # prints the tables",
        ".venv/bin/python bench/counter.py --steps   # and every counted action",
        ".venv/bin/python bench/counter.py --doc --label 'after issue 15'   # and writes its subsection here",
        ".venv/bin/python bench/counter.py --viewport 800x1280   # in a tablet's window (touch); default 1280x900",
        "```", "",
        f"Human-time model (an estimate, not a measurement): {model}. A click is a button, link or tick box "
        "(or accepting a confirmation); a choice is a drop-down list (open, find, pick); a typed field is long when "
        f"its value has more than {LONG_CHARS} characters (the address, the 16-digit NIK and KK numbers read off a "
        "card) and short otherwise (name, birth date, RT, RW, phone, a code in the search box); "
        "Enter counts only when it submits the form from a field the focus is already in. Goals (issue 15): "
        f"front office ≤ {GOAL_FRONT_FIRST_INPUTS} inputs and ≤ {GOAL_FRONT_FIRST_SECONDS:.0f} s for a first-time "
        f"citizen, ≤ {GOAL_FRONT_RETURNING_INPUTS} inputs for a returning one, all roles together ≤ "
        f"{GOAL_ALL_INPUTS} inputs; they are shown for the scenarios with a missing paper too, which also count "
        "the second visit.", "",
    ])


def doc_run(results: dict, when: str, commit: str, label: str = "", viewport: str = "1280x900") -> str:
    """One run's subsection: its tables and where the inputs go."""
    counts = [r for name in results for r in results[name]["rows"]]
    goals = [[name, *g] for name in results for g in results[name]["goals"]]
    parts = [
        f"### {label or 'Latest run'}", "",
        f"Measured {when}, loket/ at `{commit}`, in a {viewport.replace('x', '×')} browser window:", "",
        md_table(COUNT_HEADER, counts), "",
        "Against the goals of issue 15 (ratio ≥ 1.00 meets the goal):", "",
        md_table(GOAL_HEADER, goals), "",
        "Where the inputs go (each counted action in order; a click unless marked):", "",
        *where_inputs_go(results), "",
    ]
    return "\n".join(parts)


def write_doc(intro: str, run: str) -> None:
    """Write the section (``intro`` and its runs) into DOC: the run replaces the subsection of the
    same heading, or is added after the others; the rest of DOC is left as it is."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    start = text.find(DOC_HEADING)
    before, after, old = text, "", ""
    if start != -1:
        nxt = text.find("\n## ", start + len(DOC_HEADING))
        before, old = text[:start], text[start:] if nxt == -1 else text[start:nxt + 1]
        after = "" if nxt == -1 else text[nxt + 1:]
    runs = ["### " + chunk for chunk in re.split(r"^### ", old, flags=re.M)[1:]]
    heading = run.split("\n", 1)[0]
    runs = [r if r.split("\n", 1)[0] != heading else run for r in runs]
    if heading not in (r.split("\n", 1)[0] for r in runs):
        runs.append(run)
    section = "\n\n".join(part.strip("\n") for part in [intro, *runs])
    text = before.rstrip("\n") + "\n\n" + section + "\n" + ("\n" + after if after else "")
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


# --- main --------------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Count the inputs of one KTP-el legalisation per role.")
    ap.add_argument("--steps", action="store_true", help="print every counted action")
    ap.add_argument("--doc", action="store_true", help="rewrite this benchmark's section of docs/performance.md")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--viewport", default="1280x900", help="browser window WIDTHxHEIGHT (a tablet: 800x1280)")
    ap.add_argument("--label", default="", help="what the measured code is, for the doc (e.g. 'before issue 15')")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install -y chromium", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        print(f"Playwright is not installed (pip install -e '.[test]'): {exc}", file=sys.stderr)
        return 2
    wanted = [s for s in SCENARIOS if not args.only or s[0] in args.only.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="loket-bench-counter-"))
    server = Server(tmp)
    results: dict = {}
    t0 = time.perf_counter()
    try:
        passwords = server.setup()
        server.start()
        print(f"Loket on {server.base} (SQLite in {tmp}); setup and start {time.perf_counter() - t0:.0f} s")
        pw = sync_playwright().start()
        try:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            width, height = (int(x) for x in args.viewport.lower().split("x"))
            ctx = browser.new_context(base_url=server.base, locale="id-ID", viewport={"width": width, "height": height},
                                      has_touch=width < 1024)
            ctx.set_default_timeout(TIMEOUT_MS)
            page = ctx.new_page()
            current: dict = {}

            def on_dialog(d):  # a confirm() before returning a dossier: one click to accept
                current["rec"].confirmed(f"dialog: {d.message[:40]}")
                d.accept()

            page.on("dialog", on_dialog)
            for name, citizen, _returning, missing in wanted:
                t = time.perf_counter()
                rec = Recorder()
                current["rec"] = rec
                try:
                    code = scenario(rec, page, passwords, citizen, missing=missing)
                except Exception as exc:  # noqa: BLE001 - report the step that failed, go on with the others
                    print(f"\n{name}: FAILED at {page.url}: {exc}")
                    continue
                results[name] = {"code": code, "rows": scenario_table(name, rec), "goals": goals_of(name, rec),
                                 "counts": {role: rec.counts(role) for role in ROLES},
                                 "actions": [(a.role, a.kind, a.what) for a in rec.actions]}
                print(f"{name}: dossier {code}, {time.perf_counter() - t:.0f} s in the browser")
                if args.steps:
                    for a in rec.actions:
                        print(f"    {a.role:<13} {a.kind:<6} {a.what}")
            browser.close()
        finally:
            pw.stop()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    model = ", ".join(f"{KIND_LABELS[k]} {SECONDS[k]:g} s" for k in KINDS)
    print(f"\nInputs per role (model: {model}; login and landing pages not counted):\n")
    print(text_table(COUNT_HEADER, [r for n in results for r in results[n]["rows"]]))
    print("\nAgainst the goals (ratio ≥ 1.00 meets the goal):\n")
    print(text_table(GOAL_HEADER, [[n, *g] for n in results for g in results[n]["goals"]]))
    if args.doc and results:
        when = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%d %H:%M WIB")
        # what is measured is the screens: the last commit that changed loket/
        commit = subprocess.run(["git", "log", "-1", "--format=%h", "--", "loket"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip() or "?"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "loket"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        write_doc(doc_intro(), doc_run(results, when, commit + (" + uncommitted changes in loket/" if dirty else ""),
                                       args.label, args.viewport))
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    print("RESULT " + json.dumps({n: {"code": r["code"], "counts": r["counts"]} for n, r in results.items()}))
    return 0 if len(results) == len(wanted) else 1


if __name__ == "__main__":
    sys.exit(main())
