"""``loket tokens list|issue|revoke`` (loket/api/management/commands/tokens.py): a leaked token
is revoked in one command; bad input exits with status 2, says why in Indonesian, and changes
nothing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from loket.api import services
from loket.api.models import ApiToken, token_hash
from tests.api.tokens_world import other  # noqa: F401  (fixture)

URL = "/api/v1/dossiers/ZZZZZZZZ/"


def run(*args, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        import unittest.mock

        with unittest.mock.patch("sys.stdin", io.StringIO(stdin)):
            call_command("tokens", *args, stdout=out, stderr=err)
    else:
        call_command("tokens", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> str:
    """The command's refusal (status 2); asserts that no token changed."""
    before = list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at", "expires_at"))
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2, exc.value
    assert list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at", "expires_at")) == before
    return str(exc.value)


def _issue(owner, label, **kw):
    return services.token_issue(actor=None, owner=owner, label=label, **kw)


# --- issue -----------------------------------------------------------------------------------

def test_issue_prints_the_secret_alone_on_stdout(client, people):
    out, err = run("issue", "petugas", "--label", "Kelurahan Klegen", "--expires-days", "90")
    secret = out.strip()
    row = ApiToken.objects.get()
    assert "\n" not in secret and row.key_hash == token_hash(secret)
    assert row.name == "Kelurahan Klegen" and row.user == people["front"] and row.issued_by is None
    assert (row.expires_at - timezone.now()).days == 89
    assert row.prefix in err and "tidak akan ditampilkan lagi" in err and secret not in err
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404


def test_issue_with_a_date(people):
    day = timezone.localdate().replace(year=timezone.localdate().year + 1, month=1, day=31)
    run("issue", "petugas", "--label", "Dasbor", "--expires-on", day.isoformat())
    assert timezone.localtime(ApiToken.objects.get().expires_at).date() == day.replace(month=2, day=1)


@pytest.mark.parametrize("args,says", [
    (("issue",), "Sebutkan nama pengguna"),
    (("issue", "tidak.ada", "--label", "X"), "Pegawai aktif 'tidak.ada' tidak ditemukan"),
    (("issue", "petugas"), "Isi label"),
    (("issue", "petugas", "--label", "X", "--expires-days", "nol"), "jumlah hari"),
    (("issue", "petugas", "--label", "X", "--expires-days", "0"), "antara 1 dan"),
    (("issue", "petugas", "--label", "X", "--expires-on", "2001-02-03"), "sudah lewat"),
    (("issue", "petugas", "--label", "X", "--expires-days", "3", "--expires-on", "2099-01-01"), "jangan keduanya"),
])
def test_issue_refusals(people, args, says):
    message = refused(*args)
    assert says in message, message
    assert not ApiToken.objects.exists()


def test_issue_refuses_an_inactive_or_officeless_account(people, django_user_model):
    people["kasi_other"].is_active = False
    people["kasi_other"].save()
    django_user_model.objects.create_user("tamu", password="x-Pass-12345")
    for username in ("kasi.umum", "tamu"):
        assert "tidak ditemukan" in refused("issue", username, "--label", "X")
    assert not ApiToken.objects.exists()


# --- list ------------------------------------------------------------------------------------

def test_list_shows_working_tokens_and_with_all_the_others(people, other):
    mine, _ = _issue(people["front"], "Kelurahan Klegen")
    theirs, _ = _issue(other["front"], "Kelurahan Lain")
    gone, _ = _issue(people["kasi"], "Dasbor lama")
    services.token_revoke(actor=None, token_id=gone.pk)
    out, _ = run("list")
    assert mine.prefix in out and theirs.prefix in out and gone.prefix not in out
    assert "contoh" in out and "lain" in out
    out, _ = run("list", "--all")
    assert gone.prefix in out and "dicabut" in out
    out, _ = run("list", "--office", "lain")
    assert theirs.prefix in out and mine.prefix not in out
    out, _ = run("list", "--user", "petugas")
    assert mine.prefix in out and theirs.prefix not in out
    out, _ = run("list", "--user", "kasi.pem")
    assert "Tidak ada token yang masih berlaku" in out


def test_list_refuses_an_unknown_office_or_user(people):
    assert "Kantor 'entah' tidak dikenal" in refused("list", "--office", "entah")
    assert "contoh" in refused("list", "--office", "entah")  # the slugs there are
    assert "Pengguna 'entah' tidak ditemukan" in refused("list", "--user", "entah")


# --- revoke ----------------------------------------------------------------------------------

def test_a_leaked_token_is_revoked_in_one_command(client, people):
    row, secret = _issue(people["front"], "Kelurahan Klegen")
    keep, kept = _issue(people["front"], "Dasbor")
    out, _ = run("revoke", "--token", secret)
    assert f"Token #{row.pk} {row.prefix}" in out and "dicabut" in out and secret not in out
    row.refresh_from_db()
    assert row.revoked_at and row.revoked_by is None and row.revoked_reason == ApiToken.RevokeReason.MANUAL
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {kept}").status_code == 404


def test_revoke_reads_the_token_from_stdin(people):
    row, secret = _issue(people["front"], "Kelurahan Klegen")
    run("revoke", "--token", "-", stdin=secret + "\n")
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None


def test_revoke_by_id_by_prefix_and_by_the_whole_token(people):
    a, _ = _issue(people["front"], "A")
    b, _ = _issue(people["front"], "B")
    c, secret_c = _issue(people["front"], "C")
    run("revoke", str(a.pk))
    run("revoke", b.prefix + "…")  # as copied from the list
    run("revoke", secret_c)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_revoking_again_says_so_and_changes_nothing(people):
    row, secret = _issue(people["front"], "A")
    run("revoke", str(row.pk))
    first = ApiToken.objects.get(pk=row.pk).revoked_at
    out, _ = run("revoke", "--token", secret)
    assert "sudah dicabut" in out and "tidak ada yang diubah" in out
    assert ApiToken.objects.get(pk=row.pk).revoked_at == first


def test_revoke_refusals(people):
    row, secret = _issue(people["front"], "A")
    assert "tidak dikenal" in refused("revoke", "--token", secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    assert "ID 99999 tidak ada" in refused("revoke", "99999")
    assert "Tidak ada token berawalan" in refused("revoke", "lkt_zzzzzzzz")
    assert "Sebutkan token" in refused("revoke")
    assert "Sebutkan token" in refused("revoke", "kelurahan")
    assert "jangan keduanya" in refused("revoke", str(row.pk), "--token", secret)
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_a_shared_old_prefix_is_refused_with_the_ids(people):
    a = ApiToken.objects.create(user=people["front"], name="lama 1", key_hash="a" * 64, prefix="lkt_AbCd")
    b = ApiToken.objects.create(user=people["front"], name="lama 2", key_hash="b" * 64, prefix="lkt_AbCd")
    message = refused("revoke", "lkt_AbCd")
    assert f"ID {a.pk}, {b.pk}" in message


def test_no_subcommand_is_refused_with_the_usage(db):
    assert "Sub-perintah: list, issue atau revoke" in refused()


def test_from_the_shell_a_refusal_exits_with_status_2(tmp_path):
    """The real process: Django turns CommandError(returncode=2) into exit status 2."""
    repo = Path(__file__).resolve().parents[2]
    p = subprocess.run([sys.executable, "-m", "loket", "tokens", "revoke", "bukan-token"], cwd=repo,
                       capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "LOKET_DATA_DIR": str(tmp_path),
                            "DATABASE_URL": f"sqlite:///{tmp_path / 'kosong.sqlite3'}"})
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "Sebutkan token" in p.stderr
