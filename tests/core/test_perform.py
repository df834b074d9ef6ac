"""core.flow.perform: one dispatcher for the acts of every flow, used by the screens and the
API (was eight tables of lambdas, one per screen and one per API module)."""

import importlib
import typing

import pytest

from loket.core import flow

FLOWS = ["dossiers", "complaints", "rentals", "deeds"]


def test_perform_passes_only_what_the_act_takes():
    seen = {}

    def act_with_note(*, code, actor, note=""):
        seen.update(code=code, actor=actor, note=note)
        return "done"

    out = flow.perform({"go": act_with_note}, "go", code="ABC", actor="clerk",
                       data={"note": "n", "reason": "not taken", "amount": 5})
    assert out == "done"
    assert seen == {"code": "ABC", "actor": "clerk", "note": "n"}


def test_perform_of_an_unknown_act_is_refused():
    with pytest.raises(KeyError):
        flow.perform({}, "nope", code="ABC", actor=None, data={})


def test_a_required_entry_missing_from_the_data_is_an_error_not_a_silent_default():
    def act_needing_reason(*, code, actor, reason):
        return reason

    with pytest.raises(TypeError):
        flow.perform({"go": act_needing_reason}, "go", code="ABC", actor=None, data={})


@pytest.mark.parametrize("app", FLOWS)
def test_every_act_of_the_table_runs_and_the_api_offers_exactly_those(app):
    """The act table (policy.ACTS), the functions that run the acts (services.RUN) and the acts
    the API's path accepts name the same acts, so no screen or API call can reach an act the
    table does not govern."""
    policy = importlib.import_module(f"loket.{app}.policy")
    services = importlib.import_module(f"loket.{app}.services")
    api = importlib.import_module(f"loket.{app}.api")
    assert set(services.RUN) == set(policy.ACTS.acts)
    assert set(typing.get_args(api.Action)) == set(services.RUN)
    assert all(callable(fn) for fn in services.RUN.values())
