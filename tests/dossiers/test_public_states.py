"""The public tracking page says the state in plain words (dossiers/public.py, issue 15):
"Sedang diproses", "Siap diambil" from the signature on, "Dikembalikan: lengkapi …" naming what
is missing, "Sudah diserahkan"; with the office's address and opening hours."""

import pytest
from django.conf import settings as django_settings

from loket.dossiers import public, services
from loket.dossiers.models import Dossier
from tests.factories import applicant_data

S = Dossier.State


def intake(office, people, present, **kw):
    return services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                   actor=people["front"], present=present, originals=present, **kw)


def page(client, d, lang="id"):
    if lang == "en":
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(f"/lacak/{d.code}/")
    assert r.status_code == 200
    return r.content.decode()


def test_every_state_has_plain_words():
    assert {s.value for s in S} <= set(public.PUBLIC_OF)
    assert set(public.PUBLIC_OF.values()) <= set(public.LABELS) == set(public.HINTS)
    # a state the mapping does not know (yet) reads as in progress, it does not fail
    class Future:
        state = "something_new"

    assert public.public_state(Future())["key"] == public.IN_PROGRESS


def test_a_cancelled_dossier_would_read_dibatalkan():
    """The line for the cancellation a parallel change may add: keyed by the value, inert until then."""
    class Cancelled:
        state = "cancelled"

    assert str(public.public_state(Cancelled())["label"]) == "Dibatalkan"


def test_the_path_in_plain_words(client, office, people, all_items):
    d = intake(office, people, all_items)
    assert "Sedang diproses" in page(client, d)
    for fn, who in [(services.dossier_forward, "front"), (services.dossier_initial, "kasi")]:
        d = fn(code=d.code, actor=people[who])
        html = page(client, d)
        assert "Sedang diproses" in html and "Siap diambil" not in html
    d = services.dossier_sign(code=d.code, actor=people["camat"])
    assert "Siap diambil" in page(client, d)
    d = services.dossier_register(code=d.code, actor=people["front"])
    html = page(client, d)
    assert "Siap diambil" in html and "ambil di loket" in html
    d = services.dossier_handover(code=d.code, actor=people["front"])
    html = page(client, d)
    assert "Sudah diserahkan" in html and "Siap diambil" not in html


def test_a_returned_dossier_names_what_is_missing(client, office, people, all_items):
    first, _conditional, original = all_items
    d = intake(office, people, [first])
    assert d.state == S.RETURNED
    html = page(client, d)
    assert "Dikembalikan: lengkapi Kartu Keluarga asli" in html
    assert "Sedang diproses" not in html


def test_a_return_by_the_kasi_without_a_list_points_at_the_slip(client, office, people, all_items):
    d = intake(office, people, all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    d = services.dossier_return(code=d.code, actor=people["kasi"], reason="Cap buram", missing=[])
    html = page(client, d)
    assert "Dikembalikan" in html and "slip pengembalian" in html
    assert "Cap buram" not in html  # the staff's note stays inside


def test_in_english(client, office, people, all_items):
    d = intake(office, people, [all_items[0]])
    html = page(client, d, "en")
    assert "Returned: please complete" in html and "Dikembalikan: lengkapi" not in html


@pytest.mark.parametrize("lang, label", [("id", "Jam pelayanan"), ("en", "Opening hours")])
def test_tracking_and_home_pages_show_where_and_when(client, office, people, all_items, lang, label):
    office.address = "Jl. Contoh No. 1"
    office.opening_hours = "Senin–Kamis 07.30–15.30\nJumat 07.30–11.00"
    office.save()
    d = intake(office, people, all_items)
    html = page(client, d, lang)
    for text in ["Jl. Contoh No. 1", label, "Senin–Kamis 07.30–15.30<br>Jumat 07.30–11.00", office.telephone]:
        assert text in html, text
    home = client.get(f"/{office.slug}/").content.decode()
    assert label in home and "Jumat 07.30–11.00" in home and "Jl. Contoh No. 1" in home


def test_no_hours_no_line(client, office, people, all_items):
    office.opening_hours = ""
    office.save()
    html = page(client, intake(office, people, all_items))
    assert "Jam pelayanan" not in html
