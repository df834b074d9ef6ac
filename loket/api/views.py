"""Staff screen of API tokens, under /staf/token/: the list, issuing one (the secret is shown
once, on the response page itself: never in a flash message or the session, and with
``Cache-Control: no-store``), and revoking one after a confirmation.

For office admins (role ``admin``, their own office's staff only) and platform superusers
(every office); everyone else gets 403, and a token of another office is 404 like an unknown
one. The views only call loket.api.selectors and loket.api.services."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from loket.api import selectors, services
from loket.api.models import ApiToken
from loket.core import once
from loket.core.errors import InvalidInput

# The list shows at most this many tokens (newest first); the command `loket tokens list` has them all.
LIST_LIMIT = 500
FORM_FIELDS = ("owner", "label", "expires_days", "expires_on")


def token_admin_required(view):
    """Logged in, and an office admin or a superuser; anything else is refused (403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.may_manage(request.user):
            raise PermissionDenied(_("Halaman token API hanya untuk Admin kantor."))
        return view(request, *args, **kwargs)

    return wrapped


@token_admin_required
@never_cache
@require_GET
def token_list(request):
    include = request.GET.get("semua") == "1"
    now = timezone.now()
    rows = list(selectors.token_list(viewer=request.user, include_inactive=include, now=now)[:LIST_LIMIT + 1])
    return render(request, "tokens/list.html", {
        "rows": [(t, t.status(now)) for t in rows[:LIST_LIMIT]], "more": len(rows) > LIST_LIMIT,
        "limit": LIST_LIMIT, "include": include, "every_office": request.user.is_superuser,
    })


def _form(request, values, errors=None, status=200):
    return render(request, "tokens/new.html", {
        "v": values, "errors": errors or {}, "owners": list(selectors.owner_choices(viewer=request.user)),
        "every_office": request.user.is_superuser, "max_days": services.MAX_DAYS,
        "today": timezone.localdate().isoformat(),
    }, status=status)


@token_admin_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_new(request):
    if request.method != "POST":
        return _form(request, {"owner": request.GET.get("pemilik", "")[:20]})
    values = {k: request.POST.get(k, "").strip() for k in FORM_FIELDS}
    owner = selectors.owner_get(viewer=request.user, pk=values["owner"]) if values["owner"] else None
    try:
        row, secret = services.token_issue(
            actor=request.user, owner=owner, label=values["label"],
            expires_days=values["expires_days"] or None, expires_on=values["expires_on"] or None,
        )
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada token yang dibuat."))
        return _form(request, values, exc.errors, status=400)
    # The secret goes into this response only (never_cache sends Cache-Control: no-store); a
    # second post of the same form issues nothing and points at the list.
    once.done(request, note=_("Token %(prefix)s… untuk %(owner)s sudah diterbitkan; rahasianya hanya ditampilkan sekali.")
              % {"prefix": row.prefix, "owner": owner.username}, url=reverse("tokens:list"))
    return render(request, "tokens/issued.html", {"token": row, "secret": secret, "owner": owner})


@token_admin_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    row = selectors.token_get(viewer=request.user, pk=pk)
    if row is None:
        raise Http404(_("Token tidak ditemukan."))
    now = timezone.now()
    context = {"token": row, "status": row.status(now)}
    if request.method != "POST":
        return render(request, "tokens/revoke.html", context)
    if request.POST.get("confirm") != "ya":
        return render(request, "tokens/revoke.html", {
            **context, "error": _("Centang konfirmasi dulu bila token ini memang akan dicabut. Belum ada yang diubah."),
        }, status=400)
    try:
        row, changed = services.token_revoke(actor=request.user, token_id=row.pk, now=now)
    except ApiToken.DoesNotExist:
        raise Http404(_("Token tidak ditemukan.")) from None
    if changed:
        messages.success(request, _("Token %(prefix)s… (%(label)s) dicabut. Sistem yang memakainya kini ditolak; "
                                    "terbitkan token baru bila sistem itu masih perlu.")
                         % {"prefix": row.prefix, "label": row.name})
    else:
        messages.info(request, _("Token %(prefix)s… sudah dicabut sebelumnya; tidak ada yang diubah.")
                      % {"prefix": row.prefix})
    return redirect("tokens:list")
