"""Reads of several queries see one moment: an act committed between them does not tear them."""

import threading

import pytest
from django.db import connection, connections

from loket.dossiers import selectors, services
from tests.factories import applicant_data


def _forward_from_another_connection(code, actor):
    def run():
        try:
            services.dossier_forward(code=code, actor=actor)
        finally:
            connections.close_all()

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=30)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("read", ["tracking", "staff"])
def test_state_and_timeline_come_from_one_moment(read, office, people, all_items):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the torn read needs PostgreSQL's concurrency")
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=all_items, originals=all_items)
    fired = []

    def after_the_dossier_row(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not fired and 'FROM "dossiers_dossier"' in sql:
            fired.append(sql)  # another clerk acts right between the two queries of the read
            _forward_from_another_connection(d.code, people["front"])
        return result

    with connection.execute_wrapper(after_the_dossier_row):
        if read == "tracking":
            data = selectors.tracking_public(code=d.code)
            state, steps = data["state"], [t["state"] for t in data["timeline"]]
        else:
            got = selectors.dossier_get(office=office, code=d.code)
            state, steps = got.state, [t.to_state for t in got.transitions.all()]
    assert fired
    assert steps[-1] == state, (state, steps)
    # and the act itself did land
    assert selectors.dossier_get(office=office, code=d.code).state == "forwarded"
