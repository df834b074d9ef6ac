"""Loket's refusals, one hierarchy for every flow (the kit: imports no domain app).

An act refuses by raising one of these; nothing is saved when it does (the act's transaction
rolls back). Each class carries its HTTP status, so the API answers every refusal with one
handler per class (loket/api_v1.py) and a screen can show ``str(exc)`` as its message.

- ``InvalidInput`` (400): bad input; ``errors`` maps each field to its messages.
- ``Forbidden`` is Django's ``PermissionDenied`` (403), kept as is: Django's own views and
  middleware already answer it.
- ``WrongState`` (409): the case is not in a state where this act is allowed.
- ``Taken`` (409): what was asked for is already held (a hall session, the Camat's hour).
"""


class LoketError(Exception):
    """A refusal by one of Loket's acts. ``status`` is the HTTP status the API answers with."""

    status = 400


class InvalidInput(LoketError):
    """Bad input: ``errors`` maps each field to its messages (HTTP 400). Nothing was saved."""

    status = 400

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class WrongState(LoketError):
    """The case is not in a state where this act is allowed (HTTP 409)."""

    status = 409


class Taken(LoketError):
    """What was asked for is already held by another case (HTTP 409)."""

    status = 409
