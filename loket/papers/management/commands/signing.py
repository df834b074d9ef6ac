"""``loket signing``: signers' certificates for electronic signatures (docs/signing.md).

    loket signing import FILE.p12 --user USERNAME [--passphrase-file F]
    loket signing democa
    loket signing demo --user USERNAME [--passphrase-file F]
    loket signing list

The passphrase is asked without echo (getpass), or read from the first line of
``--passphrase-file`` for scripts; it is never printed nor stored (the PKCS#12 stays encrypted
under it). ``democa`` makes the demo certificate authority in the data folder; ``demo`` issues a
DEMO certificate from it to a user and imports it. Every refusal exits with code 2 and nothing
is written.
"""

from getpass import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from loket.core.errors import InvalidInput
from loket.papers import democa, signing
from loket.papers.models import SigningCredential

REFUSED = 2


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=REFUSED)


class Command(BaseCommand):
    help = "Sertifikat penanda tangan elektronik: import, democa, demo, list (lihat docs/signing.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,democa,demo,list}")

        imp = sub.add_parser("import", help="Impor berkas PKCS#12 (.p12/.pfx) seorang penanda tangan.")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="Nama pengguna penanda tangan.")
        imp.add_argument("--passphrase-file", default="", help="Ambil passphrase dari berkas ini (baris pertama).")

        sub.add_parser("democa", help="Buat otoritas sertifikat DEMO di folder data (bukan sertifikat resmi).")

        demo = sub.add_parser("demo", help="Terbitkan sertifikat DEMO untuk pengguna dan impor.")
        demo.add_argument("--user", required=True, help="Nama pengguna penanda tangan.")
        demo.add_argument("--passphrase-file", default="", help="Ambil passphrase dari berkas ini (baris pertama).")

        sub.add_parser("list", help="Daftar sertifikat penanda tangan.")

    def handle(self, *args, action, **options):
        try:
            {"import": self._import_file, "democa": self._democa, "demo": self._demo, "list": self._list}[action](**options)
        except InvalidInput as exc:
            problems = [m for ms in exc.errors.values() for m in ms]
            raise refuse("Ditolak, tidak ada yang disimpan: " + " ".join(problems)) from None

    # --- the subcommands ------------------------------------------------------------------------

    def _import_file(self, *, file, user, passphrase_file, **_):
        user_ = self._user(user)
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise refuse(f"Berkas {file} tidak dapat dibaca: {exc.__class__.__name__}.") from None
        passphrase = self._passphrase(passphrase_file, confirm=False)
        credential = signing.credential_import(user=user_, pkcs12=data, passphrase=passphrase)
        self._done(credential)

    def _democa(self, **_):
        existed = democa.ca_exists()
        _, cert = democa.ca_ensure()
        state = "sudah ada" if existed else "dibuat"
        self.stdout.write(f"CA demo {state}: {democa.ca_cert_path()}")
        self.stdout.write(f"Subjek: {cert.subject.rfc4514_string()}")
        self.stdout.write(f"Tanda tangan dengan CA ini berlabel \"{democa.DEMO_LABEL}\".")

    def _demo(self, *, user, passphrase_file, **_):
        user_ = self._user(user)
        passphrase = self._passphrase(passphrase_file, confirm=True)
        staff = getattr(user_, "staff", None)
        name = user_.get_full_name() or user_.get_username()
        p12 = democa.demo_pkcs12(name=name, nip=getattr(staff, "nip", "") or "", passphrase=passphrase)
        credential = signing.credential_import(user=user_, pkcs12=p12, passphrase=passphrase)
        self._done(credential)

    def _list(self, **_):
        rows = [("PENGGUNA", "SUBJEK", "BERLAKU S.D.", "AKTIF", "DEMO")]
        for c in SigningCredential.objects.select_related("user").order_by("user__username", "-imported_at"):
            rows.append((c.user.get_username(), c.subject, f"{c.not_after:%Y-%m-%d}",
                         "ya" if c.active else "tidak", "DEMO" if c.demo else "-"))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())

    # --- helpers ------------------------------------------------------------------------------------

    def _done(self, credential):
        self.stdout.write(f"Sertifikat diimpor untuk {credential.user.get_username()}: {credential.subject}")
        self.stdout.write(f"Nomor seri {credential.serial}, berlaku {credential.not_before:%Y-%m-%d} "
                          f"s.d. {credential.not_after:%Y-%m-%d}.")
        if credential.demo:
            self.stdout.write(f"Perhatian: {democa.DEMO_LABEL}.")

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise refuse(f"Pengguna '{username}' tidak ditemukan.")
        return user

    def _passphrase(self, path: str, *, confirm: bool) -> str:
        if path:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise refuse(f"Berkas passphrase {path} tidak dapat dibaca: {exc.__class__.__name__}.") from None
            passphrase = lines[0].strip() if lines else ""
        else:
            passphrase = getpass("Passphrase sertifikat: ")
            if confirm and getpass("Ulangi passphrase: ") != passphrase:
                raise refuse("Passphrase tidak sama.")
        if not passphrase:
            raise refuse("Passphrase kosong.")
        return passphrase
