"""Staff sessions end when idle, and at browser close on a shared counter PC.

- Idle: a signed-in session that has seen no request for ``LOKET_SESSION_IDLE_MINUTES``
  (settings; default 8 hours, one working day) is ended on its next request, with a message on
  the login page. The time of the last request is kept in the session and written at most once
  a minute (``TOUCH_SECONDS``), so a busy clerk does not cost a session write per click. The
  session's own expiry (``SESSION_COOKIE_AGE``) is the idle time plus an hour: the database and
  the cookie drop an idle session by themselves too, this middleware only gets there first and
  says why.
- Shared PC: the login form has a "Komputer bersama (loket)" checkbox, ticked by default; a
  session started with it ticked is a browser-session cookie (``set_expiry(0)``), gone when the
  browser is closed. Staff on their own PC untick it. The idle limit holds either way.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SEEN_KEY = "_loket_seen"  # unix time of the session's last request (to the minute)
TOUCH_SECONDS = 60
SHARED_PC_FIELD = "komputer_bersama"


def idle_seconds() -> int:
    return int(settings.LOKET_SESSION_IDLE_MINUTES) * 60


@receiver(user_logged_in, dispatch_uid="loket.core.sessions.started")
def _session_started(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SEEN_KEY] = int(time.time())
    if request.method == "POST" and request.POST.get(SHARED_PC_FIELD) == "1":
        session.set_expiry(0)  # a browser-session cookie: closing the browser ends it


class SessionIdleMiddleware:
    """Ends a signed-in session idle for longer than LOKET_SESSION_IDLE_MINUTES (after the
    authentication and message middleware: it logs out and leaves a message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request that carries a session cookie can hold a staff session (no query otherwise).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if isinstance(seen, int) and now - seen > idle_seconds():
                logout(request)
                if not request.path.startswith("/api/"):
                    from django.contrib import messages

                    from django.utils.translation import gettext as _

                    hours, minutes = divmod(int(settings.LOKET_SESSION_IDLE_MINUTES), 60)
                    span = ((_("%(hours)s jam") % {"hours": hours}) if hours else "") + (
                        ((" " if hours else "") + _("%(minutes)s menit") % {"minutes": minutes}) if minutes else "")
                    messages.info(request, _("Sesi Anda berakhir karena tidak ada kegiatan selama %(span)s. "
                                             "Silakan masuk lagi.") % {"span": span})
            elif not isinstance(seen, int) or now - seen >= TOUCH_SECONDS:
                request.session[SEEN_KEY] = now  # saved with the response (at most once a minute)
        return self.get_response(request)
