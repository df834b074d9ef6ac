"""``loket tokens``: list, issue and revoke API tokens from the server's shell.

    loket tokens list [--office SLUG] [--user USERNAME] [--all]
    loket tokens issue USERNAME --label LABEL [--expires-days N | --expires-on YYYY-MM-DD]
    loket tokens revoke ID|PREFIX
    loket tokens revoke --token TOKEN        (a leaked token, found by its hash; "-" reads it from stdin)

The command line acts for whoever operates the server: every office (services: actor=None).
``issue`` prints the secret alone on stdout (and what it is on stderr), so that
``TOKEN=$(loket tokens issue …)`` keeps it out of the terminal. Bad input exits with status 2
and the reason, and changes nothing."""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loket.api import selectors, services
from loket.api.models import PREFIX_LENGTH, TOKEN_START
from loket.core.errors import InvalidInput
from loket.offices.models import Office
from loket.offices.roles import staff_of

USAGE = ("Sub-perintah: list, issue atau revoke. Contoh: loket tokens list; "
         "loket tokens issue petugas --label 'Kelurahan Klegen' --expires-days 90; "
         "loket tokens revoke --token <token yang bocor>.")


def refuse(message: str) -> CommandError:
    """Bad input: exit status 2, nothing changed."""
    return CommandError(message, returncode=2)


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def issue_for(command: BaseCommand, *, username: str | None, label: str | None, expires_days=None,
              expires_on=None):
    """Issue a token on the command line (also used by the old ``loket issuetoken``): the
    secret alone on stdout, the rest on stderr."""
    if not username:
        raise refuse("Sebutkan nama pengguna pemilik token, mis. loket tokens issue petugas --label 'Kelurahan Klegen'.")
    user = selectors.owner_get(viewer=None, username=username)  # active, with a Staff row
    if user is None:
        raise refuse(f"Pegawai aktif '{username}' tidak ditemukan; token hanya untuk akun pegawai yang aktif. "
                     "Tidak ada token yang dibuat.")
    try:
        row, secret = services.token_issue(actor=None, owner=user, label=label or "", expires_days=expires_days,
                                           expires_on=expires_on)
    except InvalidInput as exc:
        raise refuse("Token tidak dibuat: " + " ".join(m for ms in exc.errors.values() for m in ms)) from None
    command.stdout.write(secret)
    until = _when(row.expires_at) if row.expires_at else "tanpa batas"
    command.stderr.write(
        f"Token #{row.pk} {row.prefix}… untuk {user.username} ({staff_of(user).office.name}), label "
        f"'{row.name}', berlaku sampai {until}. Simpan sekarang: token ini tidak akan ditampilkan lagi."
    )
    return row


class Command(BaseCommand):
    help = "Kelola token API: list (daftar), issue (terbitkan), revoke (cabut). " + USAGE

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        p = sub.add_parser("list", help="Daftar token (bawaan: hanya yang masih berlaku).")
        p.add_argument("--office", metavar="SLUG", help="Hanya token pegawai kantor ini (slug, mis. kartoharjo).")
        p.add_argument("--user", metavar="USERNAME", help="Hanya token milik pengguna ini.")
        p.add_argument("--all", action="store_true", help="Tampilkan juga token yang dicabut dan kedaluwarsa.")
        p = sub.add_parser("issue", help="Terbitkan token untuk seorang pegawai aktif (token hanya dicetak sekali).")
        p.add_argument("username", nargs="?", metavar="USERNAME")
        p.add_argument("--label", help="Sistem yang memakai token, mis. 'Kelurahan Klegen'.")
        p.add_argument("--expires-days", metavar="N", help="Berlaku N hari sejak sekarang.")
        p.add_argument("--expires-on", metavar="TTTT-BB-HH", help="Berlaku sampai dengan tanggal ini (WIB).")
        p = sub.add_parser("revoke", help="Cabut satu token: ID atau awalannya, atau --token <token lengkap>.")
        p.add_argument("ident", nargs="?", metavar="ID|PREFIX")
        p.add_argument("--token", metavar="TOKEN", help="Token lengkap (mis. yang bocor); '-' membacanya dari stdin.")

    def handle(self, *args, action=None, **options):
        if action == "list":
            return self._list(office=options.get("office"), username=options.get("user"), everything=options["all"])
        if action == "issue":
            issue_for(self, username=options.get("username"), label=options.get("label"),
                      expires_days=options.get("expires_days"), expires_on=options.get("expires_on"))
            return
        if action == "revoke":
            return self._revoke(ident=options.get("ident"), secret=options.get("token"))
        raise refuse(USAGE)

    # --- list -------------------------------------------------------------------------------

    def _list(self, *, office: str | None, username: str | None, everything: bool):
        office_row = user = None
        if office:
            office_row = Office.objects.filter(slug=office).first()
            if office_row is None:
                slugs = ", ".join(Office.objects.order_by("slug").values_list("slug", flat=True)) or "-"
                raise refuse(f"Kantor '{office}' tidak dikenal. Slug yang ada: {slugs}.")
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise refuse(f"Pengguna '{username}' tidak ditemukan.")
        now = timezone.now()
        rows = list(selectors.token_list(viewer=None, office=office_row, user=user, include_inactive=everything,
                                         now=now))
        if not rows:
            self.stdout.write("Tidak ada token." if everything else
                              "Tidak ada token yang masih berlaku (tambahkan --all untuk yang dicabut/kedaluwarsa).")
            return
        head = ("ID", "AWALAN", "PEMILIK", "KANTOR", "LABEL", "DITERBITKAN", "TERAKHIR DIPAKAI", "BERLAKU SAMPAI",
                "STATUS")
        table = [head]
        for t in rows:
            staff = staff_of(t.user)
            status = t.status(now)
            if t.revoked_at:
                status += f" {_when(t.revoked_at)} ({t.get_revoked_reason_display() or 'Dicabut'})"
            table.append((str(t.pk), t.prefix, t.user.username, staff.office.slug if staff else "-", t.name,
                          _when(t.created_at), _when(t.last_used_at),
                          _when(t.expires_at) if t.expires_at else "tanpa batas", status))
        widths = [max(len(r[i]) for r in table) for i in range(len(head) - 1)]
        for r in table:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])

    # --- revoke -----------------------------------------------------------------------------

    def _revoke(self, *, ident: str | None, secret: str | None):
        if ident and secret:
            raise refuse("Sebutkan ID/awalan ATAU --token, jangan keduanya. Tidak ada yang dicabut.")
        if secret == "-":
            secret = sys.stdin.readline()
        ident = (ident or "").strip().rstrip("…").rstrip(".")
        if not secret and ident.startswith(TOKEN_START) and len(ident) > PREFIX_LENGTH:
            secret = ident  # the whole token given without --token: found by its hash all the same
        if secret:
            row = selectors.token_by_secret(viewer=None, secret=secret)
            if row is None:
                raise refuse("Token itu tidak dikenal (tidak ada token dengan sidik yang sama). Periksa apakah "
                             "tersalin lengkap. Tidak ada yang dicabut.")
        elif ident.isdigit():
            row = selectors.token_get(viewer=None, pk=ident)
            if row is None:
                raise refuse(f"Token dengan ID {ident} tidak ada. Lihat ID dengan: loket tokens list --all.")
        elif ident.startswith(TOKEN_START):
            found = selectors.tokens_by_prefix(viewer=None, prefix=ident)
            if not found:
                raise refuse(f"Tidak ada token berawalan {ident}. Lihat awalannya dengan: loket tokens list --all.")
            if len(found) > 1:
                ids = ", ".join(str(t.pk) for t in found)
                raise refuse(f"Awalan {ident} dipakai oleh lebih dari satu token (ID {ids}); cabut dengan ID-nya. "
                             "Tidak ada yang dicabut.")
            row = found[0]
        else:
            raise refuse("Sebutkan token yang dicabut: ID-nya (angka), awalannya (lkt_…), atau --token <token lengkap>. "
                         "Tidak ada yang dicabut.")
        row, changed = services.token_revoke(actor=None, token_id=row.pk)
        what = f"Token #{row.pk} {row.prefix}… ({row.name}, milik {row.user.username})"
        if changed:
            self.stdout.write(f"{what} dicabut. Sistem yang memakainya kini ditolak (401).")
        else:
            self.stdout.write(f"{what} sudah dicabut pada {_when(row.revoked_at)}; tidak ada yang diubah.")
