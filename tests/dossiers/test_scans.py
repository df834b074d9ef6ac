"""Scans of the papers (pindaian berkas, issue 15 item 3): a scanner's file or a phone's photo,
JPEG/PNG/PDF judged by content (loket.core.uploads.upload_check), size-capped, attached by the
front office from intake until the Kasi initials, append-only, and opened only by staff of the
office who read personal data (the scan shows the NIK and KK in full). Never public."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core.history import AppendOnlyError
from loket.core.uploads import media_root
from loket.dossiers import policy, services
from loket.dossiers.models import Dossier, DossierAttachment
from tests.support.dossier_rules import dossier_in
from tests.support.world import other  # noqa: F401  (a fixture)
from loket.core.errors import InvalidInput, WrongState

S = Dossier.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def upload(name="kk.jpg", data=JPEG, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[Path]:
    root = media_root()
    # the scans only: a registered dossier also has its issued legalisation under documents/
    return [p for p in root.rglob("*") if p.is_file() and "documents" not in p.parts] if root.exists() else []


@pytest.fixture
def received(office, people, all_items) -> Dossier:
    return dossier_in(S.RECEIVED, office=office, people=people, items=all_items)


@pytest.mark.parametrize("name,data,kind", [("foto.jpg", JPEG, "jpeg"), ("scan.png", PNG, "png"),
                                            ("berkas.pdf", PDF, "pdf"), ("no-extension", PDF, "pdf")])
def test_the_front_office_attaches_a_scan_judged_by_its_content(name, data, kind, received, people):
    a = services.dossier_attach(code=received.code, actor=people["front"], file=upload(name, data), note="KK dan KTP")
    a = DossierAttachment.objects.get(pk=a.pk)
    assert (a.kind, a.size, a.original_name, a.note, a.state) == (kind, len(data), name, "KK dan KTP", S.RECEIVED)
    assert a.file.name.startswith("berkas/") and name not in a.file.name  # a random stored name
    assert Path(a.file.path).read_bytes() == data


@pytest.mark.parametrize("state", [S.RECEIVED, S.RETURNED, S.FORWARDED])
def test_while_the_papers_are_at_the_counter_or_with_the_kasi_before_the_paraf(state, office, people, all_items):
    d = dossier_in(state, office=office, people=people, items=all_items)
    assert policy.may_attach(dossier=d, actor=people["front"])
    services.dossier_attach(code=d.code, actor=people["front"], file=upload())
    assert d.attachments.count() == 1


@pytest.mark.parametrize("state", [S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER, S.CANCELLED])
def test_not_from_the_paraf_on(state, office, people, all_items):
    d = dossier_in(state, office=office, people=people, items=all_items)
    assert not policy.may_attach(dossier=d, actor=people["front"])
    with pytest.raises(WrongState):
        services.dossier_attach(code=d.code, actor=people["front"], file=upload())
    assert not d.attachments.exists() and not stored_files()


@pytest.mark.parametrize("role", ["kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"])
def test_other_roles_may_not_attach(role, received, people):
    assert not policy.may_attach(dossier=received, actor=people[role])
    with pytest.raises(PermissionDenied):
        services.dossier_attach(code=received.code, actor=people[role], file=upload())
    assert not received.attachments.exists() and not stored_files()


def test_staff_of_another_office_may_not_attach(received, other):
    _, people2, _ = other
    with pytest.raises(PermissionDenied, match="kantor lain"):
        services.dossier_attach(code=received.code, actor=people2["front"], file=upload())
    assert not received.attachments.exists()


@pytest.mark.parametrize("name,data,message", [
    ("kk.jpg", b"<html><script>alert(1)</script></html>", "Jenis berkas tidak diterima"),  # a page named .jpg
    ("kk.png", b"GIF89a" + b"\x00" * 20, "Jenis berkas tidak diterima"),
    ("kosong.pdf", b"", "Berkas kosong"),
])
def test_a_file_that_is_not_a_scan_is_refused_and_nothing_is_stored(name, data, message, received, people):
    with pytest.raises(InvalidInput) as info:
        services.dossier_attach(code=received.code, actor=people["front"], file=upload(name, data))
    assert message in info.value.errors["file"][0]
    assert not received.attachments.exists() and not stored_files()


def test_no_file_and_a_too_long_note_are_refused(received, people):
    with pytest.raises(InvalidInput) as info:
        services.dossier_attach(code=received.code, actor=people["front"], file=None, note="x" * 201)
    assert "Pilih berkas pindaian" in info.value.errors["file"][0] and "paling panjang 200" in info.value.errors["note"][0]
    assert not received.attachments.exists()


def test_the_size_is_capped(received, people, settings):
    settings.LOKET_UPLOAD_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as info:
        services.dossier_attach(code=received.code, actor=people["front"], file=upload(data=JPEG + b"\x00" * 100))
    assert "terlalu besar" in info.value.errors["file"][0]
    assert not received.attachments.exists() and not stored_files()


def test_scans_are_append_only(received, people):
    a = services.dossier_attach(code=received.code, actor=people["front"], file=upload())
    with pytest.raises(AppendOnlyError):
        a.delete()
    with pytest.raises(AppendOnlyError):
        DossierAttachment.objects.filter(pk=a.pk).update(note="diubah")


# --- the screens ----------------------------------------------------------------------------------

def test_the_detail_page_offers_the_camera_to_the_front_office_only(client, received, people):
    client.force_login(people["front"])
    page = client.get(f"/staf/berkas/{received.code}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/*,application/pdf" capture="environment"' in page
    client.force_login(people["kasi"])
    page = client.get(f"/staf/berkas/{received.code}/").content.decode()
    assert "Pindaian berkas" in page and 'name="file"' not in page


def test_upload_through_the_page_then_download_as_an_attachment(client, received, people):
    client.force_login(people["front"])
    r = client.post(f"/staf/berkas/{received.code}/pindaian/", {"file": upload("ktp.png", PNG), "scan_note": "KTP"})
    assert r.status_code == 302 and r["Location"] == f"/staf/berkas/{received.code}/"
    a = received.attachments.get()
    page = client.get(r["Location"]).content.decode()
    assert "ktp.png" in page and f"/staf/berkas/{received.code}/pindaian/{a.pk}/" in page
    for role in ("front", "kasi", "camat", "admin"):
        client.force_login(people[role])
        r = client.get(f"/staf/berkas/{received.code}/pindaian/{a.pk}/")
        assert r.status_code == 200, role
        assert b"".join(r.streaming_content) == PNG
        assert r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Disposition"].startswith("attachment;")


def test_a_bad_file_on_the_page_is_shown_at_its_field_and_the_note_is_kept(client, received, people):
    client.force_login(people["front"])
    r = client.post(f"/staf/berkas/{received.code}/pindaian/",
                    {"file": upload("kk.jpg", b"<html></html>"), "scan_note": "KK halaman 1"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Jenis berkas tidak diterima" in page and 'value="KK halaman 1"' in page
    assert not received.attachments.exists()


def test_roles_that_do_not_read_personal_data_cannot_open_a_scan(client, received, people):
    a = services.dossier_attach(code=received.code, actor=people["front"], file=upload())
    for role in ("bendahara", "ppat"):
        client.force_login(people[role])
        assert client.get(f"/staf/berkas/{received.code}/pindaian/{a.pk}/").status_code == 403
        page = client.get(f"/staf/berkas/{received.code}/").content.decode()
        assert f"/pindaian/{a.pk}/" not in page  # listed, not linked


def test_another_office_and_the_public_never_see_a_scan(client, received, people, other):
    a = services.dossier_attach(code=received.code, actor=people["front"], file=upload())
    _, people2, _ = other
    client.force_login(people2["front"])
    assert client.get(f"/staf/berkas/{received.code}/pindaian/{a.pk}/").status_code == 404
    client.logout()
    r = client.get(f"/staf/berkas/{received.code}/pindaian/{a.pk}/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")
    assert "pindaian" not in client.get(f"/lacak/{received.code}/").content.decode().lower()


def test_a_stored_file_gone_is_a_404_not_an_error(client, received, people):
    a = services.dossier_attach(code=received.code, actor=people["front"], file=upload())
    Path(a.file.path).unlink()
    client.force_login(people["front"])
    assert client.get(f"/staf/berkas/{received.code}/pindaian/{a.pk}/").status_code == 404


# --- the API --------------------------------------------------------------------------------------

def _token(user):
    from loket.api.models import ApiToken

    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='scan')[1]}"}


def test_the_api_uploads_and_lists_scans(client, received, people):
    headers = _token(people["front"])
    url = f"/api/v1/dossiers/{received.code}/attachments/"
    r = client.post(url, {"file": upload("kk.pdf", PDF), "note": "KK"}, **headers)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["size"], body["note"], body["state"]) == ("pdf", len(PDF), "KK", S.RECEIVED)
    assert body["download_url"] == f"/staf/berkas/{received.code}/pindaian/{body['id']}/"
    r = client.post(url, {"file": upload("kk.pdf", b"MZ\x90\x00"), "note": ""}, **headers)
    assert r.status_code == 400 and "Jenis berkas tidak diterima" in r.json()["errors"]["file"][0]
    listed = client.get(url, **_token(people["bendahara"])).json()
    assert [a["id"] for a in listed] == [body["id"]]
    r = client.post(url, {"file": upload()}, **_token(people["kasi"]))
    assert r.status_code == 403
    assert received.attachments.count() == 1
