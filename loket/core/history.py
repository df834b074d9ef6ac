"""Append-only history: rows that record what happened (transitions, register entries, answers,
published results) are written once and never changed or deleted; a correction is a new row.

    class Transition(AppendOnlyModel):
        ...

The guard is on both roads to a row: the instance (``save()`` of a stored row, ``delete()``)
and the default manager's QuerySet (``update()``, ``delete()``, ``bulk_update()``, which
never call the instance's methods). Related managers (``dossier.transitions``) use the default
manager's class, so they are guarded too. Every refusal is one ``AppendOnlyError``.

The raw bypass, for the two places that must write history as it was:

- restore (loket/core/backup.py) empties tables with the database's flush SQL and inserts
  through ``Model._base_manager._insert(raw=True)``; Django's base manager is a plain Manager,
  so neither passes through this guard and restore needs nothing from it;
- a test that tampers with history on purpose (e.g. to prove that restore puts it back) uses
  ``unguarded(Model)``, a plain QuerySet of the model. Nothing in ``loket/`` may call it.

And one road for the law: the retention schedule (loket/subjects/retention.py, ``loket
retention --apply``; UU 27/2022 Pasal 43-44) empties the personal fields of history rows, or
deletes them, once their period has passed, through ``expire(queryset, ...)``. Nothing else calls it.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(ValueError):
    """A history row was about to be changed or deleted."""


def _changed(model) -> AppendOnlyError:
    return AppendOnlyError(f"{model._meta.verbose_name.capitalize()} tidak dapat diubah; tambahkan entri baru.")


def _deleted(model) -> AppendOnlyError:
    return AppendOnlyError(f"{model._meta.verbose_name.capitalize()} tidak dapat dihapus.")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes that would bypass the model's save()/delete() guards are refused too."""

    def update(self, **kwargs):
        raise _changed(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise _changed(self.model)

    def delete(self):
        raise _deleted(self.model)

    # update_or_create() of an existing row ends in save(), which refuses it below.


class AppendOnlyModel(models.Model):
    """A row that is inserted once: saving a stored row or deleting one raises AppendOnlyError."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:  # also a new instance given the key of a stored row: save() would UPDATE it
            raise _changed(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _deleted(type(self))


def expire(queryset: models.QuerySet, **values) -> int:
    """The retention schedule's road through the guard (UU 27/2022 Pasal 43: delete personal data
    no longer needed; Pasal 44: destroy it when its retention period has passed). With ``values``
    (field=value), the rows of ``queryset`` get those fields overwritten, e.g. a telephone emptied:
    the row stays, with its place in the history and in every count; without, the rows are
    deleted. Returns how many rows. Called only by loket/subjects/retention.py, for rows whose
    period the office set has passed; everything else keeps history as written."""
    plain = models.QuerySet(model=queryset.model, query=queryset.query.chain(), using=queryset.db)
    if values:
        return plain.update(**values)
    deleted, _ = plain.delete()
    return deleted


def unguarded(model) -> models.QuerySet:
    """A plain QuerySet of an append-only ``model``: update() and delete() write as asked.
    For tests that tamper with history on purpose; never for the application."""
    return models.QuerySet(model=model)
