"""The staff screen of API tokens (/staf/token/, loket/api/views.py): office admins list, issue
and revoke the tokens of their own office's staff only; a superuser sees every office; the
secret is shown once, on the response page, never stored in a message or the session, and
with Cache-Control: no-store; revoking needs a confirmation; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from loket.api import services
from loket.api.models import ApiToken, token_hash
from tests.api.tokens_world import other, root  # noqa: F401  (fixtures)

LIST, NEW = "/staf/token/", "/staf/token/baru/"


def revoke_url(pk) -> str:
    return f"/staf/token/{pk}/cabut/"


def _issue(owner, label):
    return services.token_issue(actor=None, owner=owner, label=label)


@pytest.fixture
def both(people, other):
    """A token in each office; the labels tell them apart on a page."""
    return {"mine": _issue(people["front"], "Kelurahan Klegen")[0], "theirs": _issue(other["front"], "Kelurahan Lain")[0]}


# --- who may look ----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["front", "kasi", "sekcam", "camat", "bendahara", "ppat"])
def test_other_roles_are_refused_everywhere(client, people, both, who):
    client.force_login(people[who])
    for url in (LIST, NEW, revoke_url(both["mine"].pk)):
        assert client.get(url).status_code == 403, url
    assert client.post(NEW, {"owner": people["front"].pk, "label": "x"}).status_code == 403
    assert client.post(revoke_url(both["mine"].pk), {"confirm": "ya"}).status_code == 403
    assert ApiToken.objects.count() == 2 and not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_anonymous_goes_to_the_login_page(client, both):
    r = client.get(LIST)
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


# --- the office admin sees only their office --------------------------------------------------

def test_the_list_shows_only_the_admins_office(client, people, other, both):
    client.force_login(people["admin"])
    page = client.get(LIST).content.decode()
    assert "Kelurahan Klegen" in page and both["mine"].prefix in page
    assert "Kelurahan Lain" not in page and both["theirs"].prefix not in page
    client.force_login(other["admin"])
    page = client.get(LIST).content.decode()
    assert "Kelurahan Lain" in page and "Kelurahan Klegen" not in page


def test_the_list_hides_revoked_and_expired_tokens_until_asked(client, people, both):
    gone, _ = _issue(people["front"], "Dasbor lama")
    services.token_revoke(actor=None, token_id=gone.pk)
    old, _ = _issue(people["front"], "Aplikasi kedaluwarsa")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(people["admin"])
    page = client.get(LIST).content.decode()
    assert "Kelurahan Klegen" in page and "Dasbor lama" not in page and "Aplikasi kedaluwarsa" not in page
    page = client.get(LIST + "?semua=1").content.decode()
    assert "Dasbor lama" in page and "Aplikasi kedaluwarsa" in page and "kedaluwarsa" in page
    assert "Kelurahan Lain" not in page


def test_another_offices_token_is_404_and_cannot_be_revoked(client, people, other, both):
    client.force_login(other["admin"])
    theirs = revoke_url(both["mine"].pk)
    unknown = revoke_url(both["mine"].pk + 1000)
    assert client.get(theirs).status_code == client.get(unknown).status_code == 404
    assert client.post(theirs, {"confirm": "ya"}).status_code == 404
    assert ApiToken.objects.get(pk=both["mine"].pk).revoked_at is None


def test_the_owner_list_offers_only_active_staff_of_the_office(client, people, other):
    inactive = people["kasi_other"]
    inactive.is_active = False
    inactive.save()
    client.force_login(people["admin"])
    owners = client.get(NEW).context["owners"]
    assert people["front"] in owners and people["admin"] in owners
    assert inactive not in owners and other["front"] not in owners


def test_a_superuser_sees_and_revokes_every_office(client, root, people, other, both):
    client.force_login(root)
    page = client.get(LIST).content.decode()
    assert "Kelurahan Klegen" in page and "Kelurahan Lain" in page and "Kecamatan Lain" in page
    assert other["front"] in client.get(NEW).context["owners"]
    assert client.post(revoke_url(both["theirs"].pk), {"confirm": "ya"}).status_code == 302
    row = ApiToken.objects.get(pk=both["theirs"].pk)
    assert row.revoked_by == root and row.revoked_reason == ApiToken.RevokeReason.MANUAL


# --- issuing ---------------------------------------------------------------------------------

def test_issuing_shows_the_secret_once_and_never_stores_it(client, people):
    client.force_login(people["admin"])
    r = client.post(NEW, {"owner": people["front"].pk, "label": "Kelurahan Klegen", "expires_days": "90"})
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    secret = r.context["secret"]
    row = ApiToken.objects.get()
    assert row.key_hash == token_hash(secret) and row.issued_by == people["admin"] and row.user == people["front"]
    assert row.expires_at > timezone.now() + dt.timedelta(days=89)
    assert secret in r.content.decode()
    # not in a flash message, not in the session, and never again on any page
    assert not [m for m in get_messages(r.wsgi_request) if secret in str(m)]
    assert secret not in str(dict(client.session))
    for url in (LIST, LIST + "?semua=1", revoke_url(row.pk), NEW):
        assert secret not in client.get(url).content.decode(), url
    assert client.get("/api/v1/dossiers/ZZZZZZZZ/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404


def test_issuing_with_a_date(client, people):
    client.force_login(people["admin"])
    day = timezone.localdate() + dt.timedelta(days=30)
    assert client.post(NEW, {"owner": people["front"].pk, "label": "Dasbor",
                             "expires_on": day.isoformat()}).status_code == 200
    assert timezone.localtime(ApiToken.objects.get().expires_at).date() == day + dt.timedelta(days=1)


@pytest.mark.parametrize("data,field", [
    ({"label": "Kelurahan Klegen"}, "owner"),
    ({"owner": "front", "label": ""}, "label"),
    ({"owner": "front", "label": "Dasbor", "expires_days": "-3"}, "expires_days"),
    ({"owner": "front", "label": "Dasbor", "expires_on": "2001-01-01"}, "expires_on"),
    ({"owner": "other", "label": "Dasbor"}, "owner"),   # another office's clerk: not one of the choices
    ({"owner": "99999", "label": "Dasbor"}, "owner"),
    ({"owner": "abc", "label": "Dasbor"}, "owner"),
])
def test_bad_input_is_a_form_error_and_nothing_is_issued(client, people, other, data, field):
    ids = {"front": people["front"].pk, "other": other["front"].pk}
    data = {k: str(ids.get(v, v)) for k, v in data.items()}
    client.force_login(people["admin"])
    r = client.post(NEW, data)
    assert r.status_code == 400
    assert list(r.context["errors"]) == [field]
    assert r.context["errors"][field][0] in r.content.decode()
    assert not ApiToken.objects.exists()
    assert "secret" not in r.context


# --- revoking -------------------------------------------------------------------------------

def test_revoking_asks_for_a_confirmation_first(client, people, both):
    client.force_login(people["admin"])
    url = revoke_url(both["mine"].pk)
    page = client.get(url)
    assert page.status_code == 200 and "Kelurahan Klegen" in page.content.decode()
    r = client.post(url, {})
    assert r.status_code == 400 and "konfirmasi" in r.content.decode()
    assert ApiToken.objects.get(pk=both["mine"].pk).revoked_at is None


def test_revoking_with_the_confirmation(client, people, both):
    _, secret = _issue(people["front"], "Kelurahan Klegen 2")
    row = ApiToken.objects.get(name="Kelurahan Klegen 2")
    client.force_login(people["admin"])
    r = client.post(revoke_url(row.pk), {"confirm": "ya"})
    assert r.status_code == 302 and r["Location"] == LIST
    row.refresh_from_db()
    assert row.revoked_at and row.revoked_by == people["admin"]
    assert [str(m) for m in get_messages(r.wsgi_request)][0].startswith(f"Token {row.prefix}")
    client.logout()
    assert client.get("/api/v1/dossiers/ZZZZZZZZ/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert ApiToken.objects.get(pk=both["mine"].pk).revoked_at is None  # only that one


def test_revoking_a_revoked_token_again_changes_nothing(client, people, both):
    first, _ = services.token_revoke(actor=None, token_id=both["mine"].pk)
    client.force_login(people["admin"])
    r = client.post(revoke_url(first.pk), {"confirm": "ya"})
    assert r.status_code == 302
    row = ApiToken.objects.get(pk=first.pk)
    assert row.revoked_at == first.revoked_at and row.revoked_by is None


def test_the_admins_menu_links_to_the_screen(client, people):
    client.force_login(people["admin"])
    assert f'href="{LIST}"' in client.get("/staf/berkas/").content.decode()
    client.force_login(people["front"])
    assert f'href="{LIST}"' not in client.get("/staf/berkas/").content.decode()
