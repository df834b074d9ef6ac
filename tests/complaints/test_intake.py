"""Intake (complaint_record for staff, complaint_file_public for the web form): bad input is
refused with the field named and nothing saved: no complaint, step, Buku Pengaduan line or
number, attachment row, and no file left under MEDIA_ROOT. Attachments are stored under a
random name, their kind taken from their content."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.complaints import services
from loket.complaints.models import Attachment, Category, Complaint, Step
from loket.offices.models import Office
from loket.registers.models import RegisterBook, RegisterEntry
from tests.complaints.conftest import complaint_data
from loket.core.errors import InvalidInput

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def upload(content: bytes, name: str = "bukti.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def state() -> dict:
    """Everything an intake writes."""
    return {
        "complaints": Complaint.objects.count(),
        "steps": Step.objects.count(),
        "entries": RegisterEntry.objects.count(),
        "last_numbers": dict(RegisterBook.objects.values_list("pk", "last_number")),
        "attachments": Attachment.objects.count(),
        "files": media_files(),
    }


@pytest.fixture
def book_in_use(office, people):
    """One complaint already filed, so that the Buku Pengaduan exists with last_number 1 and a
    refused intake that took a number would show."""
    services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    assert RegisterBook.objects.get(office=office, kind="pengaduan").last_number == 1


@pytest.fixture
def foreign_category(db):
    office2 = Office.objects.create(slug="lain", region_code="35.77.10", name="Kecamatan Lain", city="Kota")
    return Category.objects.create(office=office2, name="Lain-lain")


def file_staff(office, people, data, files=()):
    return services.complaint_record(office=office, actor=people["front"], data=data, files=files)


def file_public(office, people, data, files=()):
    return services.complaint_file_public(office=office, data=data, files=files)


INTAKES = [pytest.param(file_staff, id="record"), pytest.param(file_public, id="public")]

# (the change to the valid data, the field the error must name)
BAD_INPUT = [
    pytest.param({"text": ""}, "text", id="empty-text"),
    pytest.param({"text": "   \n "}, "text", id="blank-text"),
    pytest.param({"text": "x" * 5001}, "text", id="text-5001"),
    pytest.param({"text": "Tolong!!"}, "text", id="text-under-10"),
    pytest.param({"subject": ""}, "subject", id="empty-subject"),
    pytest.param({"subject": "s" * 201}, "subject", id="subject-201"),
    pytest.param({"kind": "keluhan"}, "kind", id="unknown-kind"),
    pytest.param({"kind": ""}, "kind", id="no-kind"),
    pytest.param({"category": "999999"}, "category", id="unknown-category"),
    pytest.param({"category": "satu"}, "category", id="category-not-a-number"),
    pytest.param({"service": "tidak-ada"}, "service", id="unknown-service"),
    pytest.param({"reply_via": "whatsapp", "phone": ""}, "phone", id="whatsapp-without-phone"),
    pytest.param({"reply_via": "sms", "phone": ""}, "phone", id="sms-without-phone"),
    pytest.param({"reply_via": "email", "email": "budi@"}, "email", id="email-bad"),
    pytest.param({"reply_via": "email", "email": ""}, "email", id="email-missing"),
    pytest.param({"reply_via": "surat", "address": ""}, "address", id="letter-without-address"),
    pytest.param({"reply_via": "instagram", "account": ""}, "account", id="instagram-without-account"),
    pytest.param({"reply_via": "merpati"}, "reply_via", id="unknown-reply"),
    pytest.param({"anonymous": True, "reply_via": "whatsapp"}, "reply_via", id="anonymous-by-whatsapp"),
    pytest.param({"phone": "12345"}, "phone", id="phone-too-short"),
    pytest.param({"phone": "5551234567"}, "phone", id="phone-not-indonesian"),
    pytest.param({"phone": "0" + "8" * 16}, "phone", id="phone-too-long"),
    pytest.param({"name": ""}, "name", id="named-without-name"),
    pytest.param({"name": "n" * 151}, "name", id="name-151"),
]


@pytest.mark.parametrize("intake", INTAKES)
@pytest.mark.parametrize("over,field", BAD_INPUT)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(intake, over, field, office, people, book_in_use):
    before = state()
    with pytest.raises(InvalidInput) as info:
        intake(office, people, complaint_data(**over), files=[upload(PDF)])
    assert field in info.value.errors, info.value.errors
    assert all(info.value.errors[field])
    assert state() == before


@pytest.mark.parametrize("intake", INTAKES)
def test_a_category_of_another_office_is_unknown(intake, office, people, book_in_use, foreign_category):
    before = state()
    with pytest.raises(InvalidInput) as info:
        intake(office, people, complaint_data(category=str(foreign_category.pk)))
    assert "category" in info.value.errors
    assert state() == before


@pytest.mark.parametrize("intake", INTAKES)
def test_an_inactive_category_is_no_longer_offered(intake, office, people, book_in_use):
    cat = Category.objects.create(office=office, name="Lama", active=False)
    with pytest.raises(InvalidInput) as info:
        intake(office, people, complaint_data(category=cat.pk))
    assert "category" in info.value.errors


@pytest.mark.parametrize("over,field", [
    ({"channel": "merpati"}, "channel"),
    ({"channel": ""}, "channel"),
    ({"unit": "tidak-ada"}, "unit"),
])
def test_staff_input_unknown_channel_or_unit(over, field, office, people, book_in_use):
    before = state()
    with pytest.raises(InvalidInput) as info:
        file_staff(office, people, complaint_data(**over))
    assert field in info.value.errors
    assert state() == before


def test_staff_note_longer_than_2000_is_refused(office, people, book_in_use):
    before = state()
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(), note="n" * 2001)
    assert "note" in info.value.errors
    assert state() == before


def test_every_bad_field_is_reported_at_once(office, people):
    with pytest.raises(InvalidInput) as info:
        file_staff(office, people, {"kind": "x", "channel": "y", "reply_via": "z", "subject": "", "text": ""})
    assert {"kind", "channel", "reply_via", "subject", "text", "name"} <= set(info.value.errors)


@pytest.mark.parametrize("intake", INTAKES)
def test_the_limits_themselves_are_accepted(intake, office, people):
    c = intake(office, people, complaint_data(text="t" * 5000, subject="s" * 200, name="n" * 150))
    assert len(c.text) == 5000 and len(c.subject) == 200 and len(c.name) == 150
    c = intake(office, people, complaint_data(text="Sepuluh!!!"))  # exactly 10 characters
    assert c.text == "Sepuluh!!!"
    # surrounding spaces do not count
    c = intake(office, people, complaint_data(text="  " + "t" * 5000 + "  \n", subject="  Pokok  "))
    assert len(c.text) == 5000 and c.subject == "Pokok"


@pytest.mark.parametrize("phone,stored", [
    ("0812-3456-7890", "081234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("628123456789", "628123456789"),
])
def test_phone_numbers_are_normalised(phone, stored, office, people):
    assert file_staff(office, people, complaint_data(phone=phone)).phone == stored


def test_a_service_sets_the_unit_and_an_explicit_unit_wins(office, people):
    c = file_staff(office, people, complaint_data(service="pindah"))
    assert c.service.code == "pindah" and c.unit.code == "pemerintahan"
    c = file_staff(office, people, complaint_data(service="pindah", unit="umum"))
    assert c.unit.code == "umum"
    c = file_public(office, people, complaint_data(service="sewa-gedung", unit="pemerintahan"))
    assert c.unit.code == "umum"  # the public cannot choose the unit; the service's unit is used


# --- attachments -------------------------------------------------------------------------------

ATTACHMENT_PROBLEMS = [
    pytest.param(lambda: [upload(PDF, f"b{i}.pdf") for i in range(6)], id="six-files"),
    pytest.param(lambda: [upload(PDF), upload(b"Ini surat biasa, bukan PDF.", "surat.pdf")], id="text-named-pdf"),
    pytest.param(lambda: [upload(b"<html><script>alert(1)</script></html>", "foto.png", "image/png")], id="html-as-png"),
    pytest.param(lambda: [upload(PNG, "a.png", "image/png"), upload(b"", "kosong.pdf")], id="empty-file"),
    pytest.param(lambda: [upload(PDF + b"x" * 200, "besar.pdf")], id="too-large"),
]


@pytest.mark.parametrize("intake", INTAKES)
@pytest.mark.parametrize("files", ATTACHMENT_PROBLEMS)
def test_bad_attachments_are_refused_and_nothing_is_saved(intake, files, office, people, book_in_use, settings):
    settings.LOKET_UPLOAD_MAX_BYTES = 200
    before = state()
    with pytest.raises(InvalidInput) as info:
        intake(office, people, complaint_data(), files=files())
    assert list(info.value.errors) == ["attachments"]
    assert all(info.value.errors["attachments"])
    assert state() == before
    assert before["files"] == []


def test_five_attachments_and_a_file_at_the_size_limit_are_accepted(office, people, settings):
    settings.LOKET_UPLOAD_MAX_BYTES = len(PDF) + 10
    files = [upload(PDF + b"x" * 10, "tepat.pdf")] + [upload(PNG, f"f{i}.png", "image/png") for i in range(4)]
    c = file_staff(office, people, complaint_data(), files=files)
    assert c.attachments.count() == 5
    assert len(media_files()) == 5


@pytest.mark.parametrize("intake", INTAKES)
def test_attachments_are_stored_under_a_random_name_with_the_kind_from_the_content(intake, office, people):
    files = [
        upload(PNG, "foto ktp budi.png", "image/png"),
        upload(PDF, "surat.pdf"),
        upload(PNG, "scan.pdf", "application/pdf"),  # a PNG whatever its name says
        upload(JPEG, "..\\..\\etc\\passwd.jpg", "image/jpeg"),
    ]
    c = intake(office, people, complaint_data(), files=files)
    rows = list(c.attachments.order_by("pk"))
    assert [a.kind for a in rows] == ["png", "pdf", "png", "jpeg"]
    assert [a.size for a in rows] == [len(PNG), len(PDF), len(PNG), len(JPEG)]
    assert [a.original_name for a in rows][:3] == ["foto ktp budi.png", "surat.pdf", "scan.pdf"]
    assert [a.content_type for a in rows] == ["image/png", "application/pdf", "image/png", "image/jpeg"]
    root = Path(settings.MEDIA_ROOT).resolve()
    names = set()
    for a, content in zip(rows, [PNG, PDF, PNG, JPEG]):
        ext = {"png": "png", "pdf": "pdf", "jpeg": "jpg"}[a.kind]
        assert re.fullmatch(rf"pengaduan/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{ext}", a.file.name), a.file.name
        for word in ("ktp", "budi", "surat", "scan", "passwd", ".."):
            assert word not in a.file.name
        path = Path(a.file.path).resolve()
        assert path.is_relative_to(root) and path.read_bytes() == content
        assert a.uploaded_by == c.received_by and a.uploaded_at == c.received_at
        names.add(a.file.name)
    assert len(names) == 4
    assert media_files() == sorted(names)


@pytest.mark.parametrize("intake", INTAKES)
def test_a_failure_while_saving_the_second_attachment_leaves_no_file_and_no_row(
    intake, office, people, book_in_use, monkeypatch,
):
    original = Attachment.save
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(self.file.name)
        if len(calls) == 2:
            raise OSError("disk penuh")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", flaky)
    before = state()
    with pytest.raises(OSError, match="disk penuh"):
        intake(office, people, complaint_data(), files=[upload(PDF, "a.pdf"), upload(PNG, "b.png", "image/png"),
                                                        upload(PDF, "c.pdf")])
    assert len(calls) == 2  # the first file was written and its row saved before the failure
    assert state() == before
    assert media_files() == []
    for name in calls:
        assert not os.path.exists(Path(settings.MEDIA_ROOT) / name)


# --- who may record ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["bendahara", "ppat", "admin"])
def test_roles_that_may_not_record_are_refused_and_nothing_is_saved(role, office, people, book_in_use):
    before = state()
    with pytest.raises(PermissionDenied):
        services.complaint_record(office=office, actor=people[role], data=complaint_data(), files=[upload(PDF)])
    assert state() == before


@pytest.mark.parametrize("role", ["front", "kasi", "kasi_other", "sekcam", "camat"])
def test_recorders(role, office, people):
    c = services.complaint_record(office=office, actor=people[role], data=complaint_data())
    assert c.received_by == people[role] and c.register_entry.entered_by == people[role]
    step = c.steps.get()
    assert (step.action, step.from_state, step.to_state, step.actor) == ("intake", "", "received", people[role])


def test_permission_is_checked_before_the_input(office, people):
    # a refused role learns nothing about the input, and bad input from them is still 403
    with pytest.raises(PermissionDenied):
        services.complaint_record(office=office, actor=people["ppat"], data={"kind": "x"})


def test_recording_for_another_office_or_without_staff_record_is_refused(office, people, django_user_model):
    office2 = Office.objects.create(slug="lain", region_code="35.77.10", name="Kecamatan Lain", city="Kota")
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-Pass-12345")
    before = state()
    with pytest.raises(PermissionDenied):
        services.complaint_record(office=office2, actor=people["front"], data=complaint_data())
    for nobody in (root, None):
        with pytest.raises(PermissionDenied):
            services.complaint_record(office=office, actor=nobody, data=complaint_data())
    assert state() == before


def test_a_category_key_beyond_the_database_is_unknown_not_a_crash(office, people):
    from loket.complaints.models import Complaint
    from tests.complaints.conftest import complaint_data

    with pytest.raises(InvalidInput) as exc:
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(category=10**30))
    assert "category" in exc.value.errors and not Complaint.objects.exists()
