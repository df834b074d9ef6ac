"""The API as a staff client calls it: a bearer token per role."""

import pytest

from loket.api.models import ApiToken


@pytest.fixture
def token(people):
    """``token(role)``: the Authorization header of a fresh token of the mini office's ``role``
    (or of the user ``who``), to pass to the test client as ``**token("front")``."""
    def make(role, who=None):
        user = who or people[role]
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='tes')[1]}"}
    return make
