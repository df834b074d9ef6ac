"""Database helpers shared by the areas of the office."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def snapshot():
    """Run several reads against one snapshot of the database.

    A page that reads a dossier and then its transitions in two queries could otherwise see
    the state before an act and the timeline after it (seen under load: "forwarded" with an
    "initialled" step). On PostgreSQL this opens a REPEATABLE READ transaction; SQLite
    serialises writers, so a plain transaction is a snapshot already. Inside an existing
    transaction the isolation level cannot change any more, and that transaction's is used.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
