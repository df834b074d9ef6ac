"""Web helpers every staff screen shares: the login-and-office guard and the office of the request.

Part of the neutral kit (imports no domain app; ``loket.offices`` sits below the kit)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from loket.offices.roles import staff_of


def staff_required(view):
    """Logged in and attached to an office; anything else is refused."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if staff_of(request.user) is None:
            raise PermissionDenied("Akun ini bukan akun pegawai kantor.")
        return view(request, *args, **kwargs)

    return wrapped


def office_of(request):
    """The office of the staff member making the request (after ``staff_required``)."""
    return staff_of(request.user).office
