"""``loket issuetoken`` still works (scripts and bench/faults.py use it): the secret alone on
stdout, with a note on stderr pointing at ``loket tokens``; the same checks as ``tokens issue``."""

import io

import pytest
from django.core.management import CommandError, call_command

from loket.api.models import ApiToken, token_hash


def test_issuetoken_prints_only_the_token_on_stdout(client, people):
    out, err = io.StringIO(), io.StringIO()
    call_command("issuetoken", "petugas", name="Kelurahan Klegen", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    row = ApiToken.objects.get()
    assert row.key_hash == token_hash(secret) and row.name == "Kelurahan Klegen" and row.user == people["front"]
    assert "loket tokens" in err.getvalue()
    assert client.get("/api/v1/dossiers/ZZZZZZZZ/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404


def test_issuetoken_without_a_name_labels_the_token_with_the_user_name(people):
    call_command("issuetoken", "petugas", stdout=io.StringIO(), stderr=io.StringIO())
    assert ApiToken.objects.get().name == "petugas"


def test_issuetoken_refuses_an_unknown_account_with_status_2(people):
    with pytest.raises(CommandError) as exc:
        call_command("issuetoken", "tidak.ada", stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.returncode == 2 and "tidak ditemukan" in str(exc.value)
    assert not ApiToken.objects.exists()
