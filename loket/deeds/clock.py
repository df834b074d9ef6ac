"""The standard time of a deed case (komponen 4: "2 minggu/ 60 (enam puluh) hari"): a target of
``duration_min`` and a limit of ``duration_max`` calendar days from receipt, read from the
edition's service. The clock stops while the case waits for the applicant to complete documents
(Pause rows) and runs on when they come back: both dates move by the time paused.

Pure functions on datetimes; the model and the selectors call them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Clock:
    received_at: dt.datetime
    paused: dt.timedelta  # all pauses so far, the open one up to ``now``
    running: bool  # False while a pause is open
    target_at: dt.datetime  # received + target days + paused
    limit_at: dt.datetime  # received + limit days + paused
    elapsed: dt.timedelta  # time on the clock: since receipt, less the pauses
    at: dt.datetime | None = None  # the moment read (now, or when the case was done)

    def state(self, now: dt.datetime) -> str:
        """"ok", "late" (past the target), or "over" (past the limit)."""
        if now > self.limit_at:
            return "over"
        if now > self.target_at:
            return "late"
        return "ok"

    @property
    def status(self) -> str:
        """state() at the moment the clock was read."""
        return self.state(self.at) if self.at else "ok"

    @property
    def paused_days(self) -> int:
        return self.paused.days

    @property
    def elapsed_days(self) -> int:
        return self.elapsed.days


def clock_of(*, received_at: dt.datetime, pauses: list[tuple[dt.datetime, dt.datetime | None]],
             target_days: int, limit_days: int, now: dt.datetime, stopped_at: dt.datetime | None = None) -> Clock:
    """The clock at ``now`` (or frozen at ``stopped_at``, when the case was handed over).
    ``pauses``: (start, end) pairs, end None for the open one; overlapping or inverted pairs are
    counted once / not at all, so a bad row can never make time run backwards."""
    end = min(now, stopped_at) if stopped_at else now
    paused = dt.timedelta(0)
    running = True
    last = received_at
    for start, stop in sorted(pauses, key=lambda p: p[0]):
        if stop is None:
            running = False
        start, stop = max(start, last), min(stop or end, end)
        if stop > start:
            paused += stop - start
            last = stop
    return Clock(
        received_at=received_at, paused=paused, running=running and stopped_at is None,
        target_at=received_at + dt.timedelta(days=target_days) + paused,
        limit_at=received_at + dt.timedelta(days=limit_days) + paused,
        elapsed=max(end - received_at - paused, dt.timedelta(0)), at=end,
    )
