"""Free texts of the counter flow are bounded in the acts (loket.core.inputs): every note and
reason at most NOTE_MAX characters, a return's missing items at most LINES_MAX lines of LINE_MAX.
One character more is refused with a field error naming the limit, and the dossier is left as it
was (no transition, no state change) — through the service, the API and the screen alike."""

from __future__ import annotations

import pytest

from loket.api.models import ApiToken
from loket.core.inputs import LINE_MAX, LINES_MAX, NOTE_MAX
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from tests.factories import applicant_data
from loket.core.errors import InvalidInput

S = Dossier.State
LONG = "a" * (NOTE_MAX + 1)

# act → (the role that may do it, the state it needs, the keyword with the long text)
ACTS = {
    "forward": ("front", S.RECEIVED, "note"),
    "return": ("front", S.RECEIVED, "reason"),
    "initial": ("kasi", S.FORWARDED, "note"),
    "sign": ("camat", S.INITIALLED, "note"),
    "register": ("front", S.SIGNED, "note"),
    "handover": ("front", S.REGISTERED, "note"),
    "resubmit": ("front", S.RETURNED, "note"),
}
PATH = [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")]


def _dossier(office, people, all_items, state) -> Dossier:
    if state == S.RETURNED:
        return services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                       actor=people["front"])
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=all_items, originals=all_items)
    for act, role in PATH:
        if d.state == state:
            break
        d = getattr(services, f"dossier_{act}")(code=d.code, actor=people[role])
    assert d.state == state
    return d


def _call(act, code, actor, **kw):
    if act == "return":
        kw.setdefault("reason", "Foto kurang jelas")
    return getattr(services, f"dossier_{act}")(code=code, actor=actor, **kw)


@pytest.mark.parametrize("act", ACTS)
def test_a_note_one_character_too_long_is_refused_and_nothing_changes(act, office, people, all_items):
    role, state, field = ACTS[act]
    d = _dossier(office, people, all_items, state)
    steps = Transition.objects.filter(dossier=d).count()
    with pytest.raises(InvalidInput) as exc:
        _call(act, d.code, people[role], **{field: LONG})
    assert list(exc.value.errors) == [field]
    assert f"paling panjang {NOTE_MAX} karakter (sekarang {NOTE_MAX + 1})" in exc.value.errors[field][0]
    d.refresh_from_db()
    assert d.state == state and Transition.objects.filter(dossier=d).count() == steps


@pytest.mark.parametrize("act", ACTS)
def test_a_note_at_the_limit_is_taken(act, office, people, all_items):
    role, state, field = ACTS[act]
    d = _dossier(office, people, all_items, state)
    _call(act, d.code, people[role], **{field: "b" * NOTE_MAX})
    assert Transition.objects.filter(dossier=d).latest("pk").note == "b" * NOTE_MAX


def test_the_intake_note_is_bounded_with_the_other_fields(office, people, all_items):
    with pytest.raises(InvalidInput) as exc:
        services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(name=""),
                                actor=people["front"], present=all_items, originals=all_items, note=LONG)
    assert {"note", "name"} <= set(exc.value.errors)  # every problem at once
    assert not Dossier.objects.exists()


def test_sign_many_refuses_a_long_note_before_signing_any(office, people, all_items):
    a, b = (_dossier(office, people, all_items, S.INITIALLED) for _ in range(2))
    with pytest.raises(InvalidInput):
        services.dossier_sign_many(codes_=[a.code, b.code], actor=people["camat"], note=LONG)
    assert set(Dossier.objects.values_list("state", flat=True)) == {S.INITIALLED}


@pytest.mark.parametrize("missing, words", [
    (["x"] * (LINES_MAX + 1), f"paling banyak {LINES_MAX} baris"),
    (["Pas foto", "y" * (LINE_MAX + 1)], f"baris 2 paling panjang {LINE_MAX} karakter"),
])
def test_the_missing_items_of_a_return_are_bounded(missing, words, office, people, all_items):
    d = _dossier(office, people, all_items, S.RECEIVED)
    with pytest.raises(InvalidInput) as exc:
        services.dossier_return(code=d.code, actor=people["front"], reason="Kurang", missing=missing)
    assert words in exc.value.errors["missing"][0]
    d.refresh_from_db()
    assert d.state == S.RECEIVED


def test_the_missing_items_at_their_limits_are_kept_stripped(office, people, all_items):
    d = _dossier(office, people, all_items, S.RECEIVED)
    lines = [f" {i:02d} " + "z" * (LINE_MAX - 3) for i in range(LINES_MAX)] + ["", "  "]
    services.dossier_return(code=d.code, actor=people["front"], reason="Kurang", missing=lines)
    kept = Transition.objects.filter(dossier=d, to_state=S.RETURNED).get().missing
    assert len(kept) == LINES_MAX and all(len(line) == LINE_MAX for line in kept)


def test_the_api_answers_400_with_the_field(client, office, people, all_items):
    d = _dossier(office, people, all_items, S.RECEIVED)
    token = ApiToken.issue(user=people["front"], name="tes")[1]
    r = client.post(f"/api/v1/dossiers/{d.code}/return/", {"reason": LONG}, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 400
    assert f"paling panjang {NOTE_MAX} karakter" in r.json()["errors"]["reason"][0]
    d.refresh_from_db()
    assert d.state == S.RECEIVED


def test_the_screen_says_it_and_changes_nothing(client, office, people, all_items):
    d = _dossier(office, people, all_items, S.RECEIVED)
    client.force_login(people["front"])
    r = client.post(f"/staf/berkas/{d.code}/forward/", {"note": LONG}, follow=True)
    assert f"paling panjang {NOTE_MAX} karakter" in r.content.decode()
    d.refresh_from_db()
    assert d.state == S.RECEIVED
