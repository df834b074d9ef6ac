"""``loket setup``: make a fresh install usable, and do nothing more when run again."""

import dataclasses

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from loket.catalog.services import standard_load
from loket.catalog.standard_file import DEFAULT_STANDARD, StandardFileError
from loket.complaints.services import categories_default_create
from loket.deeds.services import ppat_appointment_demo_create, tax_rules_default_create
from loket.rentals.services import venues_default_create
from loket.site.demo import (
    SECOND_OFFICE, SECOND_OFFICE_KELURAHAN, SECOND_OFFICE_PREFIX, standard_for_office, write_demo_accounts,
)
from loket.offices.calendar import holidays_load_shipped
from loket.privacy.retention_defaults import retention_defaults_create
from loket.privacy.services import register_default_create
from loket.offices.services import demo_staff_create, roles_sync


class Command(BaseCommand):
    help = "Migrasi basis data, muat standar pelayanan bawaan (kantor, unit, kelurahan), dan (dengan --demo) akun demo."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Buat akun demo, satu per peran (sandi dicetak sekali).")
        parser.add_argument("--standard", default=str(DEFAULT_STANDARD), help="Berkas standar yang dimuat.")
        parser.add_argument(
            "--second-office", action="store_true",
            help="Tambah kantor kedua untuk mencoba instalasi banyak kantor: Kecamatan Taman, Kota Madiun, "
                 "dengan salinan standar bawaan bertanda DATA DEMO (dengan --demo juga akun taman.*).",
        )

    def handle(self, *args, demo=False, standard=None, second_office=False, verbosity=1, **options):
        call_command("migrate", interactive=False, verbosity=0)
        changes = roles_sync()
        try:
            report = standard_load(path=standard)
        except StandardFileError as exc:
            raise CommandError("Berkas standar ditolak:\n  " + "\n  ".join([exc.path] + exc.problems)) from None
        changes += report.created
        added = holidays_load_shipped()
        if added:
            changes.append(f"{added} hari libur nasional/ cuti bersama")
        changes += self._office_defaults(report.office)
        offices = [(report.office, "")]
        if second_office:
            data = standard_for_office(path=standard, office=SECOND_OFFICE, kelurahan=SECOND_OFFICE_KELURAHAN)
            second = standard_load(path=standard, data=data)
            changes += second.created
            changes += self._office_defaults(second.office)
            offices.append((second.office, SECOND_OFFICE_PREFIX))
        if demo:
            for office, prefix in offices:
                changes += self._demo_accounts(office, prefix)
        if changes:
            self.stdout.write("Diubah: " + "; ".join(changes))
        else:
            self.stdout.write("Tidak ada perubahan: Loket sudah siap.")

    def _office_defaults(self, office) -> list[str]:
        """What an office needs besides its standard: the hall, the deed tax rules, the complaint
        categories, the register of processing for the privacy notice (each made only when the office
        has none yet)."""
        changes = []
        venues = venues_default_create(office=office)
        if venues:
            changes.append(f"{venues} gedung pertemuan")
        rules = tax_rules_default_create(office=office)
        if rules:
            changes.append(f"{rules} ketentuan bukti pajak akta tanah")
        made = categories_default_create(office=office)
        if made:
            changes.append(f"{made} kategori pengaduan")
        made = register_default_create(office=office)
        if made:
            changes.append(f"{made} kegiatan pemrosesan data pribadi")
        changes += [f"{n} jangka waktu penyimpanan"] if (n := retention_defaults_create(office=office)) else []
        return changes

    def _demo_accounts(self, office, prefix: str) -> list[str]:
        accounts = demo_staff_create(office=office, prefix=prefix)
        if not accounts:
            return []
        officer_username = f"{prefix}kasubbag.umum"  # the demo privacy officer (_demo_officer)
        accounts = [dataclasses.replace(a, position=f"{a.position}; pejabat pelindungan data pribadi")
                    if a.username == officer_username else a for a in accounts]
        self.stdout.write(self.style.SUCCESS(f"Akun demo {office.name} (sandi hanya ditampilkan sekali ini):"))
        for a in accounts:
            self.stdout.write(f"  {a.username:<26} {a.password:<16} {a.position}")
        path = write_demo_accounts(accounts)
        self.stdout.write(f"  (juga disimpan di {path}, hanya dapat dibaca pemilik)")
        certificates = self._demo_certificates(office, accounts)
        ppat = ppat_appointment_demo_create(office=office)  # the demo Camat may sign deeds
        officer = self._demo_officer(office, prefix)
        return ([f"{len(accounts)} akun demo {office.name}"] + certificates + officer
                + ([f"{ppat} SK PPAT Sementara demo {office.name}"] if ppat else []))

    def _demo_officer(self, office, prefix: str) -> list[str]:
        """The demo Kasubbag Umum as the office's privacy officer (shown on /<office>/privasi/)."""
        from django.contrib.auth import get_user_model

        from loket.privacy.services import officer_demo_create

        user = get_user_model().objects.select_related("staff").filter(username=f"{prefix}kasubbag.umum").first()
        made = officer_demo_create(office=office, user=user) if user else 0
        return [f"pejabat pelindungan data pribadi demo {office.name}"] if made else []

    def _demo_certificates(self, office, accounts) -> list[str]:
        """The Camat's and the Sekcam's demo certificates for electronic signatures, issued by
        the demo CA (papers.democa; "DEMO — bukan sertifikat resmi" in the certificate and on
        every paper signed with it), each under a fresh passphrase shown once."""
        import secrets

        from django.contrib.auth import get_user_model

        from loket.offices.roles import Role
        from loket.papers import democa, signing

        signers = []
        for a in accounts:
            user = get_user_model().objects.select_related("staff").get(username=a.username)
            if user.staff.role in (Role.CAMAT, Role.SEKCAM):
                signers.append(user)
        if not signers:
            return []
        democa.ca_ensure()
        self.stdout.write(self.style.SUCCESS("Sertifikat tanda tangan elektronik DEMO (passphrase hanya ditampilkan sekali ini):"))
        lines = []
        for user in signers:
            passphrase = "ttd-" + secrets.token_urlsafe(9)
            name = user.staff.full_name or user.get_full_name() or user.username
            p12 = democa.demo_pkcs12(name=name, nip=user.staff.nip, passphrase=passphrase)
            signing.credential_import(user=user, pkcs12=p12, passphrase=passphrase)
            self.stdout.write(f"  {user.username:<26} passphrase {passphrase}")
            lines.append(f"{user.username}\tpassphrase TTE demo\t{passphrase}\n")
        demo_file = settings.DATA_DIR / "demo-accounts.txt"
        with open(demo_file, "a") as fh:  # created 0600 by write_demo_accounts
            fh.writelines(lines)
        return [f"{len(signers)} sertifikat TTE demo {office.name}"]
