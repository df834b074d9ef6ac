"""The flow kit: what every flow app (dossiers, complaints, rentals, deeds) does the same way.

- ``Act`` and ``Table``: an app's acts declared once (who may, in which states, who holds it
  now, whether it is ready), in the app's ``policy.py``.
- ``authorise``: the acts check the table (role → office → state → holder → ready), raising
  PermissionDenied (403) or WrongState (409) with the app's own words.
- ``acts_allowed``: the screens and the API ask the same table which acts to offer, so a
  button can never disagree with a refusal.
- ``expect``, ``locked``, ``move``: the state check, the row lock, and the one write path of a
  state change (the new state and its history row together).
- ``new_code``: a new random code by insert-and-retry (the database's unique key decides, so
  two clerks pressing at once cannot get the same code).
- ``perform``: an act run by its name, for the screens and the API alike: each app declares once
  which function runs which act (``services.RUN``), and a caller passes one dict of what the
  form or the request body holds.

The kit imports Django, ``loket.core`` and ``loket.offices`` only.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import cache
from dataclasses import dataclass
from typing import Any, Callable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.core import codes
from loket.core.errors import WrongState
from loket.offices.roles import Role, staff_of

Check = Callable[[Any, Any], bool]  # (staff, obj) -> bool


def _per_role(value, role):
    return value.get(role, ()) if isinstance(value, Mapping) else value


@dataclass(frozen=True)
class Act:
    """One act of a flow.

    ``roles``: the roles that may ever do it (checked first: 403 whatever the state).
    ``states``: where it may be done; a mapping role → states when each role has its own.
    ``scope``: (staff, obj) → within this person's reach, checked with the role (e.g. the Kasi
    of *its* unit); refused with the same words as a wrong role.
    ``who``: (staff, obj) → holds it now, checked after the state (403 with ``who_text``).
    ``ready``: obj → why it cannot be done yet ("" when it can): WrongState, checked last; the
    screens do not offer an act that is not ready.
    ``refused``: the 403 sentence for a wrong role/scope (a string, or obj → string); empty:
    "Tindakan '<label>' hanya untuk <roles>."
    ``doing``: the words the app's wrong-state sentence uses (a string, or role → string).
    ``wrong_state``: (obj, staff) → the whole wrong-state sentence, when the app's usual one
    does not fit.
    """

    label: str
    roles: tuple[str, ...]
    states: tuple[str, ...] | Mapping[str, tuple[str, ...]]
    who: Check | None = None
    who_text: str = ""
    scope: Check | None = None
    ready: Callable[[Any], str] | None = None
    refused: str | Callable[[Any], str] = ""
    doing: str | Mapping[str, str] = ""
    wrong_state: Callable[[Any, Any], str] | None = None

    def states_for(self, role) -> tuple[str, ...]:
        return tuple(_per_role(self.states, role))

    def doing_for(self, role) -> str:
        return _per_role(self.doing, role) or self.label.lower()

    def refusal(self, obj) -> str:
        if callable(self.refused):
            return self.refused(obj)
        return self.refused or (f"Tindakan '{self.label}' hanya untuk "
                                + ", ".join(Role(r).label for r in self.roles) + ".")

    def may(self, staff, obj) -> bool:
        """Role and scope (no office, no state)."""
        return staff is not None and staff.role in self.roles and (self.scope is None or self.scope(staff, obj))


def _wrong_state_default(obj, act: Act, staff) -> str:
    return (f"{codes.display(obj.code)} berstatus {obj.get_state_display()}; "
            f"{act.doing_for(getattr(staff, 'role', None))} tidak dapat dilakukan.")


@dataclass(frozen=True)
class Table:
    """An app's acts (``acts``: name → Act, in the order the screens show them) and the app's
    words for the refusals every act shares."""

    acts: Mapping[str, Act]
    wrong_state: Callable[[Any, Act, Any], str] = _wrong_state_default  # (obj, act, staff) -> sentence
    other_office: str = "Petugas ini bukan petugas kantor ini."
    not_staff: str = ""  # the 403 for someone without a staff record; empty: the act's refusal

    def __getitem__(self, name: str) -> Act:
        return self.acts[name]

    def __iter__(self):
        return iter(self.acts)


def authorise(table: Table, act: str, actor, obj):
    """Role (and scope), then office, then state, then who holds it, then readiness, as every
    act of Loket; returns the actor's staff record. PermissionDenied (403) or WrongState (409)."""
    a = table.acts[act]
    staff = staff_of(actor)
    if staff is None and table.not_staff:
        raise PermissionDenied(table.not_staff)
    if not a.may(staff, obj):
        raise PermissionDenied(a.refusal(obj))
    if staff.office_id != obj.office_id:
        raise PermissionDenied(table.other_office)
    expect_in(obj, a.states_for(staff.role),
              lambda: a.wrong_state(obj, staff) if a.wrong_state else table.wrong_state(obj, a, staff))
    if a.who is not None and not a.who(staff, obj):
        raise PermissionDenied(a.who_text or a.refusal(obj))
    why = a.ready(obj) if a.ready is not None else ""
    if why:
        raise WrongState(why)
    return staff


def acts_allowed(table: Table, user, obj) -> list[str]:
    """The acts this user may do on ``obj`` now, in the table's order: exactly those that
    ``authorise`` lets through (the acts check again)."""
    staff = staff_of(user)
    if staff is None or staff.office_id != obj.office_id:
        return []
    return [name for name, a in table.acts.items() if _passes(a, staff, obj)]


def acts_waiting(table: Table, user, obj) -> dict[str, str]:
    """The acts this user could do on ``obj`` in its state but that are not ready yet, each with
    the reason (``Act.ready``): the screen says what the act waits for instead of hiding it."""
    staff = staff_of(user)
    if staff is None or staff.office_id != obj.office_id:
        return {}
    waiting = {}
    for name, a in table.acts.items():
        if (a.ready is not None and a.may(staff, obj) and obj.state in a.states_for(staff.role)
                and (a.who is None or a.who(staff, obj))):
            why = a.ready(obj)
            if why:
                waiting[name] = why
    return waiting


def allowed(table: Table, act: str, user, obj) -> bool:
    """Whether this user may do this one act on ``obj`` now (as ``authorise`` would decide)."""
    staff = staff_of(user)
    return staff is not None and staff.office_id == obj.office_id and _passes(table.acts[act], staff, obj)


def _passes(a: Act, staff, obj) -> bool:
    return (a.may(staff, obj) and obj.state in a.states_for(staff.role)
            and (a.who is None or a.who(staff, obj)) and not (a.ready is not None and a.ready(obj)))


def expect_in(obj, states, message: str | Callable[[], str]) -> None:
    if obj.state not in states:
        raise WrongState(message() if callable(message) else message)


def expect(obj, *states: str, message: str | Callable[[], str] | None = None) -> None:
    """WrongState unless ``obj`` is in one of ``states``."""
    expect_in(obj, states, message or (lambda: f"{codes.display(obj.code)} berstatus {obj.get_state_display()}."))


def locked(query, *, missing: str, **lookup):
    """The one row ``lookup`` finds, locked until the act's transaction ends (SELECT … FOR
    UPDATE of that row only); ``query`` is a model or a queryset (select_related, only …).
    DoesNotExist with ``missing`` when there is none."""
    qs = query._default_manager.all() if isinstance(query, type) else query
    try:
        return qs.select_for_update(of=("self",)).get(**lookup)
    except qs.model.DoesNotExist:
        raise qs.model.DoesNotExist(missing) from None


def move(obj, to: str, *, actor, history, link: str, note: str = "", at=None, fields=(), **extra):
    """The one write path of a state change: a ``history`` row (``link`` names its key to
    ``obj``; ``extra`` its other fields) and the new state, together. ``fields`` names the other
    fields the act set on ``obj``; only those are written."""
    at = at or timezone.now()
    history.objects.create(**{link: obj}, from_state=obj.state or "", to_state=to, actor=actor, at=at, note=note,
                           **extra)
    obj.state = to
    obj.save(update_fields={"state", "updated_at", *fields})
    return obj


def new_code(create: Callable[[str], Any], generate: Callable[[], str] = codes.new_tracking_code, tries: int = 5):
    """``create(code)`` with a fresh random code, inside a savepoint; on a clash (IntegrityError:
    the unique key says the code is taken) try again with another, ``tries`` times in all.
    Insert-and-retry rather than check-then-insert: a check can be overtaken by a concurrent
    insert, the unique key cannot."""
    for attempt in range(tries):
        try:
            with transaction.atomic():
                return create(generate())
        except IntegrityError:
            if attempt == tries - 1:
                raise


@cache
def _takes(fn: Callable) -> frozenset[str]:
    return frozenset(inspect.signature(fn).parameters) - {"code", "actor"}


def perform(run: Mapping[str, Callable], act: str, *, code: str, actor, data: Mapping[str, Any]):
    """Run act ``act`` of an app: ``run[act]`` (the app's ``services.RUN``) called with the code,
    the actor and those entries of ``data`` that it takes (by its keyword names), so a screen and
    the API each build one ``data`` for every act instead of one call per act. The act itself
    authorises and validates. An unknown act is a KeyError: callers check ``act in run`` first
    (a 404 on a screen; the API's path type lists the acts)."""
    fn = run[act]
    takes = _takes(fn)
    return fn(code=code, actor=actor, **{k: v for k, v in data.items() if k in takes})
