"""The privacy area's query budgets: the public notice reads the office, its register of
processing, its officer and its retention periods, however many activities it lists."""

from __future__ import annotations

from tests.privacy import budgets_access, budgets_breaches, budgets_requests
from tests.support.budgets import case, same

BUDGETS = {
    "<slug:office>/privasi/": {"GET": 5},
    **budgets_access.BUDGETS, **budgets_requests.BUDGETS, **budgets_breaches.BUDGETS,
}


@case("<slug:office>/privasi/", "GET", rows=True)
def _(w, n):
    from loket.privacy.models import Processing

    have = Processing.objects.count()  # called again with more rows: new keys
    for k in range(have, have + n):
        Processing.objects.create(office=w.office, key=f"kegiatan-{k}", order=k, name=f"Kegiatan {k}",
                                  purpose="Tujuan.", data_items="NIK\nNama", basis="tugas_publik",
                                  readers="Petugas", retention="Menurut JRA.")
    return same(lambda: w.client.get("/contoh/privasi/"))
