"""The public complaint form as the tests post it, and a frozen clock for the rate limits."""

from __future__ import annotations

import time

import pytest

from loket.complaints import spam
from loket.complaints.models import Attachment, Complaint
from loket.core import ratelimit
from loket.registers.models import RegisterEntry


def form_data(**over) -> dict:
    """A valid post of the public form, with a stamp of a form rendered a minute ago."""
    data = {
        "kind": "pengaduan", "name": "Budi Santoso", "phone": "081234567890", "reply_via": "whatsapp",
        "subject": "Antrean loket KTP-el", "text": "Antrean di loket KTP-el sangat panjang setiap Senin pagi.",
        spam.STAMP_FIELD: spam.stamp_new(at=time.time() - 60), spam.HONEYPOT_FIELD: "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def counts() -> tuple[int, int, int]:
    return Complaint.objects.count(), RegisterEntry.objects.count(), Attachment.objects.count()


def form_url(office) -> str:
    return f"/{office.slug}/pengaduan/"


@pytest.fixture
def frozen_clock(monkeypatch):
    """Rate-limit windows are int(time.time() // window): a test must not straddle a boundary."""
    now = {"t": 1_800_000_000.0}  # a multiple of 60 and of 600
    monkeypatch.setattr(ratelimit.time, "time", lambda: now["t"])
    return now
