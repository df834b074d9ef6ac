"""A password change or a deactivation revokes the account's API tokens, by ANY path.

The receiver watches every save of the user model (``pre_save``), whatever called it: the
Django admin's change and password forms, ``loket changepassword``, a password reset view,
``user.set_password(); user.save()`` in a service, ``is_active = False; save()``. It compares
what is about to be written with what is stored:

- ``is_active`` going from True to False → tokens revoked (reason "deactivated");
- the stored password hash replaced by another one → tokens revoked (reason "password"),
  also for a password made unusable, except for Django's own hash upgrade on log in (same
  password, stronger hasher or more iterations: ``AbstractBaseUser.check_password``'s setter,
  which Django itself says "shouldn't be considered a password change").

A save limited by ``update_fields`` to other columns (``last_login`` on every log in) costs
nothing; any other save of an existing user reads its stored row once. Loading a backup
(``raw``) is left alone. Writes that bypass ``save()`` (``QuerySet.update()``, raw SQL) are not
seen: Loket has none for these columns, and docs/security.md says not to add one.

It runs before the user row is written: if that write then fails outside a transaction the
tokens stay revoked, which fails safe (issue new ones); inside one (the admin) both roll back."""

from __future__ import annotations

from django.contrib.auth.hashers import get_hasher, identify_hasher

from loket.api.models import ApiToken

WATCHED = {"password", "is_active"}


def _is_hash_upgrade(instance, old_hash: str) -> bool:
    """Django re-hashing the same password at log in: set_password() then ``_password = None``,
    from a hash its preferred hasher wants replaced (another algorithm or fewer iterations)."""
    if getattr(instance, "_password", None) is not None:
        return False  # set_password() was called and the save has not happened yet: a change
    try:
        old = identify_hasher(old_hash)
        new = identify_hasher(instance.password)
    except ValueError:  # unusable ("!…") or unknown: not something a log in upgrades
        return False
    preferred = get_hasher()
    return new.algorithm == preferred.algorithm and (old.algorithm != preferred.algorithm
                                                     or preferred.must_update(old_hash))


def revoke_tokens_on_credentials_change(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    from loket.api.services import tokens_revoke_of_user

    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return
    stored = sender._default_manager.using(using).filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["is_active"] and not instance.is_active:
        tokens_revoke_of_user(user=instance, reason=ApiToken.RevokeReason.DEACTIVATED)
    elif stored["password"] != instance.password and not _is_hash_upgrade(instance, stored["password"]):
        tokens_revoke_of_user(user=instance, reason=ApiToken.RevokeReason.PASSWORD)
