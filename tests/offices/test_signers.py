"""Who signs for the office on a date: the Camat, the Sekcam a.n. Camat, a Plt./Plh., the
Bendahara Penerimaan, the PPAT."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from loket.offices.models import ActingAppointment, Office, Staff
from loket.offices.signers import ppat_for, signer_for, treasurer_for

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def titled(user, name, nip="", rank=""):
    Staff.objects.filter(user=user).update(full_name=name, nip=nip, rank=rank)
    user.refresh_from_db()
    return user


def appoint(office, user, *, post="camat", kind="plt", starts=DAY, ends=None):
    return ActingAppointment.objects.create(
        office=office, post=post, user=user, kind=kind, decree_number="800/12/401.301/2026",
        decree_date=starts, starts=starts, ends=ends,
    )


def test_the_camat_is_the_office_head(office, people):
    s = signer_for(office=office, post="camat", on=DAY)
    assert (s.name, s.nip, s.rank) == ("Budi", "19700101 199001 1 001", "Pembina")
    assert s.title_lines == ["CAMAT CONTOH"] and s.capacity == "definitif"
    assert s.user == people["camat"]


def test_without_head_fields_the_camat_account_signs(office, people):
    Office.objects.filter(pk=office.pk).update(head_name="", head_nip="", head_rank="")
    office.refresh_from_db()
    titled(people["camat"], "Drs. BUDI UTOMO, M.Si.", "197001011990011001", "Pembina (IV/a)")
    s = signer_for(office=office, post="camat", on=DAY)
    assert (s.name, s.nip, s.rank) == ("Drs. BUDI UTOMO, M.Si.", "197001011990011001", "Pembina (IV/a)")


def test_the_sekcam_signs_on_behalf_with_own_name_and_nip(office, people):
    titled(people["sekcam"], "Dra. SITI AMINAH, M.Si.", "197202021995032002", "Pembina (IV/a)")
    s = signer_for(office=office, post="sekcam", on=DAY)
    assert s.title_lines == ["a.n. CAMAT CONTOH", "Sekretaris Kecamatan"]
    assert (s.name, s.nip, s.capacity) == ("Dra. SITI AMINAH, M.Si.", "197202021995032002", "a.n.")
    assert s.user == people["sekcam"]


def test_a_plt_signs_for_the_camat_only_while_appointed(office, people):
    titled(people["sekcam"], "Dra. SITI AMINAH, M.Si.", "197202021995032002")
    appoint(office, people["sekcam"], starts=DAY, ends=DAY + dt.timedelta(days=30))
    during = signer_for(office=office, post="camat", on=DAY + dt.timedelta(days=5))
    assert during.title_lines == ["Plt. CAMAT CONTOH"] and during.capacity == "Plt."
    assert (during.name, during.nip) == ("Dra. SITI AMINAH, M.Si.", "197202021995032002")
    before = signer_for(office=office, post="camat", on=DAY - dt.timedelta(days=1))
    after = signer_for(office=office, post="camat", on=DAY + dt.timedelta(days=31))
    assert before.name == after.name == "Budi"  # a past paper resolves to who held the post then


def test_a_plh_wins_over_a_running_plt_and_the_holder_signing_in_person_wins(office, people):
    appoint(office, people["sekcam"], kind="plt", starts=DAY - dt.timedelta(days=60))
    appoint(office, people["kasi"], kind="plh", starts=DAY, ends=DAY)
    assert signer_for(office=office, post="camat", on=DAY).title_lines == ["Plh. CAMAT CONTOH"]
    assert signer_for(office=office, post="camat", on=DAY, user=people["camat"]).title_lines == ["CAMAT CONTOH"]


def test_a_plt_of_the_sekcam_signs_on_behalf_as_plt_sekcam(office, people):
    appoint(office, people["kasi"], post="sekcam", kind="plt")
    s = signer_for(office=office, post="sekcam", on=DAY)
    assert s.title_lines == ["a.n. CAMAT CONTOH", "Plt. Sekretaris Kecamatan"]
    assert s.user == people["kasi"]


def test_an_appointment_of_another_offices_staff_or_ending_before_it_starts_is_refused(office, people):
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    bad = ActingAppointment(office=other, post="camat", user=people["sekcam"], kind="plt", decree_number="1",
                            decree_date=DAY, starts=DAY, ends=DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert {"user", "ends"} <= set(err.value.message_dict)


def test_unknown_post_is_a_programming_error(office):
    with pytest.raises(ValueError):
        signer_for(office=office, post="lurah", on=DAY)


def test_the_treasurer_is_the_bendahara_penerimaan(office, people):
    titled(people["bendahara"], "RINA WATI, S.E.", "198001012005012001", "Penata (III/c)")
    s = treasurer_for(office=office, on=DAY)
    assert (s.name, s.nip, s.title_lines) == ("RINA WATI, S.E.", "198001012005012001", ["Bendahara Penerimaan"])
    # a user who is not the Bendahara is not taken for one
    assert treasurer_for(office=office, on=DAY, user=people["front"]).user == people["bendahara"]


def test_no_treasurer_gives_an_empty_name_to_write_on(office, people):
    Staff.objects.filter(user=people["bendahara"]).update(role="front_office")
    assert treasurer_for(office=office, on=DAY).name == ""


def test_the_ppat_is_the_camat_even_while_a_plt_runs(office, people):
    appoint(office, people["sekcam"])
    s = ppat_for(office=office, on=DAY)
    assert s.name == "Budi" and s.title_lines == ["Camat Contoh selaku PPAT Sementara"]


def test_the_acting_appointment_admin_offers_only_the_admins_own_offices_staff(two_offices):
    from django.contrib import admin
    from django.test import RequestFactory

    model_admin = admin.site._registry[ActingAppointment]
    request = RequestFactory().get("/")
    request.user = two_offices.people["admin_b"]
    field = model_admin.formfield_for_foreignkey(ActingAppointment._meta.get_field("user"), request)
    offered = set(field.queryset)
    assert two_offices.people["front_b"] in offered
    assert not offered & {two_offices.people["sekcam"], two_offices.people["camat"]}  # office A's staff
