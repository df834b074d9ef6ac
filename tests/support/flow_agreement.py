"""The agreement between an app's ``acts_allowed`` (what the screens and the API offer) and what
its acts really do: an act is offered exactly when running it gets past the authorisation
(no PermissionDenied, no WrongState). Each act is tried inside a savepoint that is rolled back,
so one object serves every act."""

from __future__ import annotations

from typing import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from loket.core.errors import WrongState


class _Undo(Exception):
    pass


def refused(run: Callable[[], object]) -> Exception | None:
    """Run an act and undo it; the authorisation's refusal, or None when the act got past it
    (it may still refuse its input: that is not the table's business)."""
    try:
        with transaction.atomic():
            try:
                run()
            except (PermissionDenied, WrongState) as exc:
                return exc
            except Exception:  # noqa: BLE001  (bad input after the checks: authorised)
                pass
            raise _Undo
    except _Undo:
        return None


def disagreements(*, offered: Iterable[str], acts: Iterable[str], run: Callable[[str], object]) -> dict[str, str]:
    """Act → what is wrong, for every act where the offer and the act disagree (empty: agreed)."""
    offered = set(offered)
    out = {}
    for name in acts:
        exc = refused(lambda: run(name))
        if name in offered and exc is not None:
            out[name] = f"offered, but the act refuses: {type(exc).__name__}: {exc}"
        elif name not in offered and exc is None:
            out[name] = "not offered, but the act lets it through"
    return out
