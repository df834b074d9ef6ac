"""Acts on register books: the one way to take a number."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from loket.registers.models import RegisterBook, RegisterEntry


def _book_locked(*, office_id: int, kind: str, year: int) -> RegisterBook:
    books = RegisterBook.objects.select_for_update()
    try:
        return books.get(office_id=office_id, kind=kind, year=year)
    except RegisterBook.DoesNotExist:
        pass
    # The year's first entry creates the book; a concurrent creator is absorbed by the unique
    # constraint (ignore_conflicts), then everyone queues on the row lock.
    RegisterBook.objects.bulk_create(
        [RegisterBook(office_id=office_id, kind=kind, year=year)], ignore_conflicts=True
    )
    return books.get(office_id=office_id, kind=kind, year=year)


def register_entry_add(*, office_id: int, kind: str, actor, subject: str, at=None, **fields) -> RegisterEntry:
    """Write the next numbered entry in the office's book of this kind for the year of ``at``.

    Must run inside the caller's transaction (the dossier's state change and its register
    number commit together, or neither does)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_entry_add must run inside a transaction")
    at = at or timezone.now()
    year = timezone.localtime(at).year
    book = _book_locked(office_id=office_id, kind=kind, year=year)
    book.last_number += 1
    book.save(update_fields=["last_number"])
    return RegisterEntry.objects.create(
        book=book, number=book.last_number, entered_at=at, entered_by=actor, subject=subject, **fields
    )
