"""The breach register (register kegagalan pelindungan data pribadi; UU 27/2022 Pasal 46): the acts
that record a breach and its handling, and the reads of the register with the 3 × 24-hour clock.

Pasal 46 as enacted (UU 27/2022; drafts numbered it Pasal 40 and named the minister instead of
the Lembaga; docs/privacy.md says where the text was read):

- ayat (1): on a failure of personal-data protection the controller notifies **in writing, at
  the latest 3 × 24 hours**, (a) the data subjects and (b) the Lembaga;
- ayat (2): the notice states at least (a) the personal data disclosed, (b) when and how they
  were disclosed, (c) what the controller does to handle it and recover;
- ayat (3): in certain cases the controller also informs the public (Loket records it as an
  action; the law does not say which cases).

The clock runs from ``Breach.known_at`` (when the office came to know of it): due = known_at +
72 hours, the same for both addressees. A notice recorded at or before the due moment is "on
time", after it "late" by the difference.

Acts (keyword-only, one transaction each, the breach row locked, every act a ``BreachStep``
through ``flow.move``): ``breach_record`` (the data protection officer or the Camat:
``policy.may_handle``), ``breach_act``, ``breach_notify_subjects``, ``breach_notify_authority``,
``breach_close`` (each authorised from ``policy.BREACH_ACTS``: role → office → state → ready).
Refusals: PermissionDenied (403, ``policy.HANDLER_TEXT``), WrongState (409), InvalidInput (400,
nothing saved). ``RUN`` maps the act names to the functions for ``flow.perform``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core import codes, flow
from loket.core.errors import InvalidInput
from loket.core.formats import tanggal
from loket.core.inputs import EARLIEST, NOTE_MAX, TEXT_MAX, InputProblem, text_bounded
from loket.offices.models import Office
from loket.offices.roles import staff_of
from loket.privacy import breach_papers, policy
from loket.privacy.policy import DEADLINE, officer_of  # noqa: F401  (officer_of: the views read it here)
from loket.privacy.models import Breach, BreachStep, Officer

B = Breach.State

DEFAULT_AUTHORITY = Breach._meta.get_field("authority").default
TITLE_MAX = Breach._meta.get_field("title").max_length
AUTHORITY_MAX = Breach._meta.get_field("authority").max_length
COUNT_MAX = 300_000_000  # more than everyone in Indonesia is a typing error
LIST_MAX = 200

_move = partial(flow.move, history=BreachStep, link="breach")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")


# --- input ----------------------------------------------------------------------------------------

def moment_parse(value, *, label: str, required: bool = False) -> dt.datetime | None:
    """A moment from a form's datetime-local (``TTTT-BB-HHTJJ:MM``), ``TTTT-BB-HH JJ:MM`` or an ISO
    date-time with its offset (the API); a naive one is the office's local time (Asia/Jakarta).
    Empty → None (InputProblem when ``required``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputProblem(f"{label} wajib diisi.")
        return None
    moment = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and _MOMENT.fullmatch(value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace(" ", "T").replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        raise InputProblem(f"{label} harus berupa tanggal dan jam, TTTT-BB-HH JJ:MM (mis. 2026-05-12 09:30).")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    if moment.date() < EARLIEST:
        raise InputProblem(f"{label} tidak boleh sebelum {EARLIEST:%d-%m-%Y}.")
    return moment


def _count(value, errors: dict) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().replace(".", "").isdigit():
        value = int(value.strip().replace(".", ""))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COUNT_MAX:
        errors["subjects_count"] = ["Jumlah orang terdampak harus bilangan bulat 0 atau lebih; "
                                    "kosongkan bila belum diketahui."]
        return None
    return value


def _texts(errors: dict, **fields) -> dict:
    """Each (value, label, max, required) of ``fields`` bounded (core.inputs.text_bounded)."""
    out = {}
    for name, (value, label, max_len, required) in fields.items():
        try:
            out[name] = text_bounded(value, label=label, max_len=max_len, required=required)
        except InputProblem as exc:
            errors[name] = [str(exc)]
    return out


def _not_future(moment, now, label: str) -> str:
    return f"{label} tidak boleh setelah sekarang ({tanggal(now, with_time=True)})." if moment > now else ""


def _notified_at(value, *, known_at: dt.datetime, now: dt.datetime, errors: dict) -> dt.datetime | None:
    """When the notice was sent: given, or now; not before the breach was known, not in the future."""
    try:
        at = moment_parse(value, label="Waktu pemberitahuan") or now
    except InputProblem as exc:
        errors["at"] = [str(exc)]
        return None
    if at > now:
        errors["at"] = [_not_future(at, now, "Waktu pemberitahuan")]
    elif at < known_at:
        errors["at"] = [f"Waktu pemberitahuan tidak boleh sebelum kegagalan diketahui "
                        f"({tanggal(known_at, with_time=True)})."]
    return at


# --- acts -------------------------------------------------------------------------------------------

@transaction.atomic
def breach_record(*, office: Office, actor, title, description, occurred_at, known_at, data_affected,
                  subjects_affected, subjects_count, actions, authority) -> Breach:
    """Record a breach the office came to know of (Pasal 46 ayat (2): which data, when and how,
    what is done). The data protection officer or the Camat of ``office``; a new code, and the
    first step "record". ``known_at`` starts the clock: not in the future; ``occurred_at`` (if
    known) not after it. ``authority``: the addressee of the letter to the Lembaga (empty: the
    default, "Lembaga Pelindungan Data Pribadi")."""
    staff = staff_of(actor)
    policy.handler_required(actor)
    if staff.office_id != office.pk:
        raise PermissionDenied(policy.BREACH_ACTS.other_office)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    texts = _texts(
        errors,
        title=(title, "Judul", TITLE_MAX, True),
        description=(description, "Uraian kejadian (kapan dan bagaimana data terungkap)", TEXT_MAX, True),
        data_affected=(data_affected, "Data pribadi yang terungkap", TEXT_MAX, True),
        subjects_affected=(subjects_affected, "Subjek data yang terdampak", TEXT_MAX, True),
        actions=(actions, "Upaya penanganan dan pemulihan", TEXT_MAX, True),
        authority=(authority, "Lembaga yang diberi tahu", AUTHORITY_MAX, False),
    )
    moments = {}
    for field, value, label, required in (("known_at", known_at, "Waktu diketahui", True),
                                          ("occurred_at", occurred_at, "Waktu kejadian", False)):
        try:
            moments[field] = moment_parse(value, label=label, required=required)
        except InputProblem as exc:
            errors[field] = [str(exc)]
    known, occurred = moments.get("known_at"), moments.get("occurred_at")
    if known and known > now:
        errors["known_at"] = [_not_future(known, now, "Waktu diketahui")]
    if occurred and occurred > now:
        errors["occurred_at"] = [_not_future(occurred, now, "Waktu kejadian")]
    elif occurred and known and occurred > known:
        errors["occurred_at"] = ["Waktu kejadian tidak boleh setelah waktu kegagalan diketahui."]
    count = _count(subjects_count, errors)
    if errors:
        raise InvalidInput(errors)
    texts["authority"] = texts["authority"] or DEFAULT_AUTHORITY

    def create(code: str) -> Breach:
        return Breach.objects.create(office=office, code=code, state=B.OPEN, known_at=known, occurred_at=occurred,
                                     subjects_count=count, recorded_by=actor, created_at=now, **texts)

    b = flow.new_code(create)
    BreachStep.objects.create(breach=b, action="record", from_state="", to_state=B.OPEN, actor=actor, at=now,
                              note=f"Dicatat; tenggat pemberitahuan {tanggal(b.known_at + DEADLINE, with_time=True)}.")
    return b


def _locked(code: str) -> Breach:
    return flow.locked(Breach.objects.select_related("office"), code=codes.normalise(code),
                       missing=f"Catatan kegagalan {code} tidak ditemukan.")


@transaction.atomic
def breach_act(*, code: str, actor, note, authority: str = "") -> Breach:
    """An action taken on an open breach (contained, passwords changed, the public informed under
    Pasal 46 ayat (3) …): a step, and the text added to ``actions`` with its date, so the
    letters print every action. With ``authority``: the addressee of the letter to the Lembaga
    is changed instead (the step says from what to what, ``note`` says why; ``actions`` is left
    as it is)."""
    b = _locked(code)
    flow.authorise(policy.BREACH_ACTS, "act", actor, b)
    errors: dict[str, list[str]] = {}
    texts = _texts(errors, note=(note, "Tindakan", NOTE_MAX, True),
                   authority=(authority, "Lembaga yang diberi tahu", AUTHORITY_MAX, False))
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    new = texts["authority"]
    if new and new == b.authority:
        raise InvalidInput({"authority": ["Alamat surat kepada lembaga sama dengan yang tercatat; tidak ada yang diubah."]})
    if new:
        text = f"Alamat surat kepada lembaga diubah: \"{b.authority}\" → \"{new}\". {texts['note']}"
        b.authority = new
        return _move(b, B.OPEN, actor=actor, note=text, at=now, fields=("authority",), action="act")
    line = f"{timezone.localtime(now):%d-%m-%Y %H:%M}: {texts['note']}"
    combined = f"{b.actions.rstrip()}\n{line}" if b.actions.strip() else line
    if len(combined) > TEXT_MAX:
        raise InvalidInput({"note": [f"Catatan upaya penanganan sudah paling panjang {TEXT_MAX} karakter; "
                                     "persingkat tindakan ini."]})
    b.actions = combined
    return _move(b, B.OPEN, actor=actor, note=texts["note"], at=now, fields=("actions",), action="act")


def _notify(*, act: str, field: str, whom: str, letter: str, code: str, actor, at, note) -> Breach:
    b = _locked(code)
    flow.authorise(policy.BREACH_ACTS, act, actor, b)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    sent = _notified_at(at, known_at=b.known_at, now=now, errors=errors)
    text = _texts(errors, note=(note, "Catatan", NOTE_MAX, False)).get("note", "")
    if errors:
        raise InvalidInput(errors)
    setattr(b, field, sent)
    due = b.known_at + DEADLINE
    timing = "tepat waktu" if sent <= due else f"terlambat {span_text(sent - due, indonesian=True)}"
    document = breach_papers.letter_issue(b, letter, actor=actor, at=sent)
    step = (f"Pemberitahuan tertulis kepada {whom} disampaikan {tanggal(sent, with_time=True)} ({timing}), "
            f"surat nomor {document.number}.")
    return _move(b, B.OPEN, actor=actor, note=f"{step} {text}".strip(), at=now, fields=(field,), action=act)


@transaction.atomic
def breach_notify_subjects(*, code: str, actor, at=None, note: str = "") -> Breach:
    """The written notice to the data subjects was sent at ``at`` (empty: now), once (Pasal 46
    ayat (1) huruf a)."""
    return _notify(act="notify_subjects", field="subjects_notified_at", whom="subjek data", letter="subjects",
                   code=code, actor=actor, at=at, note=note)


@transaction.atomic
def breach_notify_authority(*, code: str, actor, at=None, note: str = "") -> Breach:
    """The written notice to the Lembaga (``Breach.authority``) was sent at ``at`` (empty: now),
    once (Pasal 46 ayat (1) huruf b)."""
    return _notify(act="notify_authority", field="authority_notified_at", whom="lembaga", letter="authority",
                   code=code, actor=actor, at=at, note=note)


@transaction.atomic
def breach_close(*, code: str, actor, note) -> Breach:
    """The breach is handled: closed with a summary (required). A breach closed without a notice
    recorded shows it on its page; nothing is done after closing."""
    b = _locked(code)
    flow.authorise(policy.BREACH_ACTS, "close", actor, b)
    errors: dict[str, list[str]] = {}
    text = _texts(errors, note=(note, "Ringkasan penyelesaian", NOTE_MAX, True)).get("note", "")
    if errors:
        raise InvalidInput(errors)
    return _move(b, B.CLOSED, actor=actor, note=text, action="close")


RUN = {"act": breach_act, "notify_subjects": breach_notify_subjects, "notify_authority": breach_notify_authority,
       "close": breach_close}


# --- the clock --------------------------------------------------------------------------------------

def span_text(delta: dt.timedelta, *, indonesian: bool = False) -> str:
    """A length of time as the clock says it: "41 jam 20 menit"; from 100 hours on "5 hari 3 jam".
    ``indonesian``: for the history and the papers, whatever the page's language."""
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, mins = divmod(minutes, 60)
    if indonesian:
        return f"{hours // 24} hari {hours % 24} jam" if hours >= 100 else f"{hours} jam {mins} menit"
    if hours >= 100:
        return _("%(d)s hari %(h)s jam") % {"d": hours // 24, "h": hours % 24}
    return _("%(h)s jam %(m)s menit") % {"h": hours, "m": mins}


@dataclass(frozen=True)
class Notice:
    """One addressee's notice against the due moment: sent (on time or late by ``late_by``), or
    not yet (then ``left`` until the due moment, or ``overdue`` since it)."""

    whom: str
    at: dt.datetime | None
    due: dt.datetime
    now: dt.datetime

    @property
    def sent(self) -> bool:
        return self.at is not None

    @property
    def in_time(self) -> bool | None:
        return None if self.at is None else self.at <= self.due

    @property
    def late_by(self) -> dt.timedelta | None:
        return self.at - self.due if self.at is not None and self.at > self.due else None

    @property
    def left(self) -> dt.timedelta | None:
        return self.due - self.now if self.at is None and self.now <= self.due else None

    @property
    def overdue(self) -> dt.timedelta | None:
        return self.now - self.due if self.at is None and self.now > self.due else None

    def text(self) -> str:
        if self.at is not None:
            if self.in_time:
                return _("diberitahukan tepat waktu")
            return _("diberitahukan terlambat %(span)s") % {"span": span_text(self.late_by)}
        if self.overdue is not None:
            return _("belum diberitahukan, lewat %(span)s") % {"span": span_text(self.overdue)}
        return _("belum diberitahukan, sisa %(span)s") % {"span": span_text(self.left)}

    def as_json(self) -> dict:
        hours = lambda d: round(d.total_seconds() / 3600, 1) if d is not None else None  # noqa: E731
        return {"notified_at": self.at, "in_time": self.in_time, "late_hours": hours(self.late_by),
                "hours_left": hours(self.left), "overdue_hours": hours(self.overdue)}


@dataclass(frozen=True)
class Clock:
    """The 3 × 24-hour clock of a breach (Pasal 46 ayat (1)): due = known_at + 72 hours; a notice
    per addressee. ``running`` while the breach is open and a notice is still owed."""

    known_at: dt.datetime
    due: dt.datetime
    now: dt.datetime
    open: bool
    subjects: Notice
    authority: Notice

    @property
    def notices(self) -> tuple[Notice, Notice]:
        return self.subjects, self.authority

    @property
    def running(self) -> bool:
        return self.open and not all(n.sent for n in self.notices)

    @property
    def overdue(self) -> dt.timedelta | None:
        return self.now - self.due if self.running and self.now > self.due else None

    @property
    def left(self) -> dt.timedelta | None:
        return self.due - self.now if self.running and self.now <= self.due else None

    @property
    def late(self) -> bool:
        """A notice is owed past the due moment, or one was sent late."""
        return self.overdue is not None or any(n.in_time is False for n in self.notices)

    def text(self) -> str:
        """The clock in one line, as the list and the detail's heading show it."""
        if self.left is not None:
            return _("Sisa %(span)s sampai tenggat pemberitahuan") % {"span": span_text(self.left)}
        if self.overdue is not None:
            return _("Tenggat pemberitahuan lewat %(span)s") % {"span": span_text(self.overdue)}
        if all(n.sent for n in self.notices):
            if all(n.in_time for n in self.notices):
                return _("Semua pemberitahuan tepat waktu")
            return _("Semua pemberitahuan sudah disampaikan, sebagian terlambat")
        return _("Ditutup tanpa semua pemberitahuan tercatat")

    def as_json(self) -> dict:
        hours = lambda d: round(d.total_seconds() / 3600, 1) if d is not None else None  # noqa: E731
        return {"due_at": self.due, "running": self.running, "hours_left": hours(self.left),
                "overdue_hours": hours(self.overdue), "late": self.late,
                "subjects": self.subjects.as_json(), "authority": self.authority.as_json()}


def clock_of(b: Breach, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    due = b.known_at + DEADLINE
    return Clock(known_at=b.known_at, due=due, now=now, open=b.state == B.OPEN,
                 subjects=Notice("subjects", b.subjects_notified_at, due, now),
                 authority=Notice("authority", b.authority_notified_at, due, now))


# --- reads ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    breach: Breach
    clock: Clock

    @property
    def display_code(self) -> str:
        return codes.display(self.breach.code)


def breaches_of(*, office: Office, now: dt.datetime | None = None) -> tuple[list[Row], list[Row]]:
    """The office's breaches with their clocks, as (open, closed): the open ones with the one due
    soonest first, the closed ones with the latest known first (at most LIST_MAX of each)."""
    now = now or timezone.now()
    mine = Breach.objects.filter(office=office)
    return ([Row(b, clock_of(b, now)) for b in mine.filter(state=B.OPEN).order_by("known_at", "pk")[:LIST_MAX]],
            [Row(b, clock_of(b, now)) for b in mine.exclude(state=B.OPEN).order_by("-known_at", "-pk")[:LIST_MAX]])


def breach_get(*, office: Office, code: str) -> Breach | None:
    """The office's breach by code (any case, dashes), with who recorded it; None for an unknown
    code or another office's."""
    return (Breach.objects.select_related("office", "recorded_by", "recorded_by__staff")
            .filter(office=office, code=codes.normalise(code)).first())


def steps_of(b: Breach) -> list[BreachStep]:
    return list(BreachStep.objects.filter(breach=b).select_related("actor").order_by("at", "pk"))

