"""Jadwal retensi: what the office removes when a record's period has passed (UU 27/2022 Pasal 42:
end processing when the retention period is reached; Pasal 43: delete what is no longer needed;
Pasal 44 ayat (1) huruf a: destroy when the period has passed and the archive retention
schedule says so). ``plan`` says what would happen (the dry run of ``loket retention``);
``apply`` does it, one transaction per kind, and writes one ``privacy.RetentionRun``.

The kinds, their actions and default periods are loket/privacy/data/retention.yaml; the office's
own periods are its ``privacy.RetentionPeriod`` rows (a kind without a row uses the shipped one).

Anonymise, never leave a gap. A record is *anonymised*: its personal fields are emptied or get a
fixed marker, the row stays. Register lines (``RegisterEntry``), deeds, the dossier's NIK, name
and address, a complaint's text, answers and dates are never touched, so every book still numbers
1..N and every report (the service report, the complaints report, the IKM, the evaluation) adds
up to what it did before. Deleted are only rows nothing counts: scanned files (the row stays,
marked), access records, login records, ended sessions, used form tokens, API idempotency keys.

Records of the installation rather than of an office (sessions, login records, form tokens, API
keys; scope "server") use the shortest period any office set, so no office's choice is exceeded,
and never reach past now (a session still valid, a lock still holding, a token still usable are
not touched, whatever ``today`` says).

Personal data are never logged: the log line and the run carry counts only."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from loket.api import idempotency
from loket.api.models import IdempotentRequest
from loket.complaints.models import Attachment, Complaint
from loket.core import once
from loket.core.history import expire
from loket.core.models import FormSubmission
from loket.dossiers.models import Applicant, Correction, Dossier, DossierAttachment, Transition
from loket.offices.models import Office
from loket.privacy.models import Access, Request, RequestStep, RetentionPeriod, RetentionRun
from loket.privacy.retention_defaults import Kind, shipped_retention
from loket.rentals.models import Booking

log = logging.getLogger(__name__)

MARK = "[dianonimkan]"  # a name or text replaced by the schedule
FILE_MARK = "[dihapus: masa simpan habis]"  # the original name of a file the schedule removed
CHUNK = 500  # files removed per batch

S = Dossier.State


@dataclass
class Line:
    """One kind in a plan or a run: its period, the cutoff and how many rows."""

    kind: str
    label: str
    action: str
    scope: str
    months: int | None  # None: kept by Loket
    cutoff: dt.date | None  # records that ended before this day
    source: str
    anonymise: int = 0
    delete: int = 0

    @property
    def kept(self) -> bool:
        return self.action == "keep"


# --- dates -----------------------------------------------------------------------------------

def months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the office's time (Asia/Jakarta)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- what each kind touches ------------------------------------------------------------------

def _marked(name: str):
    """A field's new value: empty stays empty, anything else becomes MARK."""
    return Case(When(**{name: ""}, then=Value("")), default=Value(MARK))


def _dossiers_ended(office: Office, cut: dt.datetime):
    """Dossiers that ended before ``cut``: handed over, cancelled, or returned and not brought back
    (no step of theirs since)."""
    later = Transition.objects.filter(dossier=OuterRef("pk"), at__gte=cut)
    return Dossier.objects.filter(office=office, received_at__lt=cut).filter(
        Q(state=S.HANDED_OVER, done_at__lt=cut) | (Q(state__in=(S.CANCELLED, S.RETURNED)) & ~Exists(later)))


def _dossier_contacts(office, cut):
    ended = _dossiers_ended(office, cut)
    live = Dossier.objects.filter(office=office).exclude(pk__in=ended.values("pk"))
    dossiers = ended.exclude(applicant_phone="", applicant_email="")
    corrections = (Correction.objects.filter(dossier__in=ended.values("pk"),
                                             field__in=(Correction.Field.PHONE, Correction.Field.EMAIL))
                   .exclude(old_value__in=("", MARK), new_value__in=("", MARK)))
    people = (Applicant.objects.filter(office=office, updated_at__lt=cut).exclude(phone="", email="")
              .exclude(pk__in=live.values("applicant_id")))
    return dossiers, corrections, people


def _count_dossier_contacts(office, cut):
    return sum(qs.count() for qs in _dossier_contacts(office, cut)), 0


def _run_dossier_contacts(office, cut):
    dossiers, corrections, people = _dossier_contacts(office, cut)
    n = people.update(phone="", email="")  # first: it reads which dossiers have ended, not their phones
    n += expire(corrections, old_value=_marked("old_value"), new_value=_marked("new_value"))
    n += dossiers.update(applicant_phone="", applicant_email="")
    return n, 0


def _scans(office, cut):
    return DossierAttachment.objects.filter(dossier__in=_dossiers_ended(office, cut).values("pk")).exclude(file="")


def _complaints_closed(office, cut):
    return Complaint.objects.filter(office=office, state=Complaint.State.CLOSED, closed_at__lt=cut)


def _complaint_contacts(office, cut):
    return _complaints_closed(office, cut).exclude(name__in=("", MARK), phone="", email="", address="", account="")


def _complaint_files(office, cut):
    return Attachment.objects.filter(complaint__in=_complaints_closed(office, cut).values("pk")).exclude(file="")


def _files_removed(queryset, blank: Callable) -> int:
    """Remove the stored files of ``queryset``'s rows, then mark the rows (``blank(pks)``), batch
    by batch. A file is removed before its row is marked: if the database write fails, the row
    points at a missing file (its page says so) and the next run marks it."""
    model = queryset.model
    storage = model._meta.get_field("file").storage
    n = 0
    while True:
        batch = list(queryset.values_list("pk", "file")[:CHUNK])
        if not batch:
            return n
        for _, name in batch:
            storage.delete(name)
        with transaction.atomic():
            n += blank([pk for pk, _ in batch])


def _run_scans(office, cut):
    return 0, _files_removed(_scans(office, cut), lambda pks: expire(
        DossierAttachment.objects.filter(pk__in=pks), file="", original_name=FILE_MARK))


def _run_complaint_files(office, cut):
    return 0, _files_removed(_complaint_files(office, cut), lambda pks: Attachment.objects.filter(
        pk__in=pks).update(file="", original_name=FILE_MARK))


def _bookings(office, cut):
    B = Booking.State
    return (Booking.objects.filter(office=office, state__in=(B.USED, B.PAID, B.CANCELLED, B.INQUIRY),
                                   date__lt=timezone.localtime(cut).date(), updated_at__lt=cut)
            .exclude(phone=""))


def _requests(office, cut):
    done = Request.objects.filter(office=office, state__in=(Request.State.ANSWERED, Request.State.REFUSED)).filter(
        Q(answered_at__lt=cut) | Q(answered_at__isnull=True, updated_at__lt=cut))
    steps = RequestStep.objects.filter(request__in=done.values("pk")).exclude(note__in=("", MARK))
    return done.exclude(nik="", name=MARK), steps


def _count_requests(office, cut):
    requests, steps = _requests(office, cut)
    return requests.count() + steps.count(), 0


def _run_requests(office, cut):
    requests, steps = _requests(office, cut)
    n = expire(steps, note=MARK)  # first: it reads which requests are done, not their fields
    n += requests.update(nik="", name=MARK, contact="", identity_note="", details=MARK, answer=_marked("answer"))
    return n, 0


def _access(office, cut):
    return Access.objects.filter(office=office, at__lt=cut)


# Records of the installation: never past now, nor past their own expiry.

def _login_records(cut):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cut = min(cut, timezone.now() - settings.AXES_COOLOFF_TIME)  # a lock still holding stays
    return [m.objects.filter(attempt_time__lt=cut) for m in (AccessAttempt, AccessLog, AccessFailureLog)]


def _sessions(cut):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=min(cut, timezone.now()))


def _form_tokens(cut):
    return FormSubmission.objects.filter(created_at__lt=min(cut, timezone.now() - dt.timedelta(seconds=once.MAX_AGE)))


def _api_keys(cut):
    return IdempotentRequest.objects.filter(
        created_at__lt=min(cut, timezone.now() - dt.timedelta(seconds=idempotency.KEEP)))


def _deleted(querysets) -> int:
    return sum(qs.delete()[0] for qs in querysets)


@dataclass(frozen=True)
class Handler:
    count: Callable  # (office, cut) -> (anonymise, delete)
    run: Callable  # (office, cut) -> (anonymised, deleted), inside one transaction (files: per batch)
    atomic: bool = True


def _plain(rows, *, anonymise=None, delete=False) -> Handler:
    """A kind whose rows are one queryset: ``rows(office, cut)``, updated with ``anonymise`` or deleted."""
    if delete:
        return Handler(count=lambda o, c: (0, rows(o, c).count()), run=lambda o, c: (0, rows(o, c).delete()[0]))
    return Handler(count=lambda o, c: (rows(o, c).count(), 0), run=lambda o, c: (rows(o, c).update(**anonymise), 0))


def _server(rows) -> Handler:
    return Handler(count=lambda o, c: (0, sum(qs.count() for qs in rows(c))), run=lambda o, c: (0, _deleted(rows(c))))


HANDLERS: dict[str, Handler] = {
    "kontak-pemohon": Handler(count=_count_dossier_contacts, run=_run_dossier_contacts),
    "pindaian-berkas": Handler(count=lambda o, c: (0, _scans(o, c).count()), run=_run_scans, atomic=False),
    "kontak-pengadu": _plain(_complaint_contacts, anonymise={"name": _marked("name"), "phone": "", "email": "",
                                                             "address": "", "account": ""}),
    "lampiran-pengaduan": Handler(count=lambda o, c: (0, _complaint_files(o, c).count()), run=_run_complaint_files,
                                  atomic=False),
    "kontak-penyewa": _plain(_bookings, anonymise={"phone": ""}),
    "permintaan-subjek": Handler(count=_count_requests, run=_run_requests),
    "catatan-akses": Handler(count=lambda o, c: (0, _access(o, c).count()), run=lambda o, c: (0, expire(_access(o, c)))),
    "catatan-login": _server(_login_records),
    "sesi-login": _server(lambda c: [_sessions(c)]),
    "kiriman-formulir": _server(lambda c: [_form_tokens(c)]),
    "kunci-idempotensi": _server(lambda c: [_api_keys(c)]),
}


# --- periods ---------------------------------------------------------------------------------

def _periods(office: Office) -> dict[str, tuple[int, str]]:
    """kind -> (months, source) for the office: its own rows, else the shipped defaults; a kind of
    scope "server" takes the shortest period of all offices (an office without a row counts with
    the default)."""
    own = {p.kind: (p.months, p.source) for p in RetentionPeriod.objects.filter(office=office)}
    offices = Office.objects.count()
    everywhere: dict[str, list[int]] = {}
    server_kinds = [k.kind for k in shipped_retention() if k.scope == "server" and not k.kept]
    for kind, months in RetentionPeriod.objects.filter(kind__in=server_kinds).values_list("kind", "months"):
        everywhere.setdefault(kind, []).append(months)
    periods = {}
    for k in shipped_retention():
        if k.kept:
            continue
        if k.scope == "server":
            months = everywhere.get(k.kind, [])
            if len(months) < offices or not months:
                months.append(k.months)
            periods[k.kind] = (min(months), own.get(k.kind, (None, ""))[1] or k.source)
        else:
            months, source = own.get(k.kind, (k.months, k.source))
            periods[k.kind] = (months, source or k.source)
    return periods


def _line(k: Kind, periods: dict, today: dt.date) -> Line:
    if k.kept:
        return Line(kind=k.kind, label=k.label, action=k.action, scope=k.scope, months=None, cutoff=None,
                    source=k.source)
    months, source = periods[k.kind]
    return Line(kind=k.kind, label=k.label, action=k.action, scope=k.scope, months=months,
                cutoff=months_back(today, months), source=source)


# --- the two entry points --------------------------------------------------------------------

def plan(*, office: Office, today: dt.date) -> list[Line]:
    """What ``apply`` would do for ``office`` as of ``today``, kind by kind (nothing is changed):
    the period, the cutoff day (records that ended before it are due) and how many rows would be
    anonymised or deleted. The kinds Loket keeps are listed with no cutoff."""
    periods = _periods(office)
    lines = []
    for k in shipped_retention():
        line = _line(k, periods, today)
        if not line.kept:
            line.anonymise, line.delete = HANDLERS[k.kind].count(office, _start(line.cutoff))
        lines.append(line)
    return lines


def apply(*, office: Office, today: dt.date, by: str) -> RetentionRun:
    """Carry out the schedule for ``office`` as of ``today``: each kind in its own transaction
    (files in batches, removed before their rows are marked), then one ``RetentionRun`` with the
    counts per kind (written also when a kind fails half-way, with what was done; the error is
    raised after it). Running it again finds nothing more to do."""
    periods = _periods(office)
    counts: dict[str, dict] = {}
    try:
        for k in shipped_retention():
            if k.kept:
                continue
            line = _line(k, periods, today)
            handler = HANDLERS[k.kind]
            cut = _start(line.cutoff)
            if handler.atomic:
                with transaction.atomic():
                    anonymised, deleted = handler.run(office, cut)
            else:
                anonymised, deleted = handler.run(office, cut)
            counts[k.kind] = {"anonymised": anonymised, "deleted": deleted, "months": line.months,
                              "cutoff": line.cutoff.isoformat()}
    finally:
        run = RetentionRun.objects.create(office=office, at=timezone.now(), by=by[:150], counts=counts)
        log.info("retention applied: office=%s run=%s %s", office.slug, run.pk,
                 " ".join(f"{kind}={c['anonymised']}/{c['deleted']}" for kind, c in counts.items()))
    return run


def runner_of(user) -> str:
    """How a run started by a staff member (page or API) names who started it."""
    return f"{user.get_full_name() or user.username} ({user.username})"


def lines_of(run: RetentionRun) -> list[Line]:
    """A run's counts as lines in the schedule's order (for the command's report)."""
    lines = []
    for k in shipped_retention():
        c = run.counts.get(k.kind)
        if c is None:
            continue
        lines.append(Line(kind=k.kind, label=k.label, action=k.action, scope=k.scope, months=c.get("months"),
                          cutoff=dt.date.fromisoformat(c["cutoff"]) if c.get("cutoff") else None, source="",
                          anonymise=c["anonymised"], delete=c["deleted"]))
    return lines
