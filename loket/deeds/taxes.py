"""The tax proofs a deed case needs (PBB of the last three years; SSB and SSP above the office's
thresholds). Shared by the policy (validation waits for them), the selectors and the acts, so
none of those imports another."""

from __future__ import annotations

from django.utils import timezone

from loket.deeds.models import Case, TaxProof, TaxRule

PBB_YEARS = 3  # "Pelunasan PBB 3 tahun terakhir": the three tax years before the year of receipt


def pbb_years(case: Case) -> list[int]:
    year = timezone.localtime(case.received_at).year
    return list(range(year - PBB_YEARS, year))


def taxes_needed(case: Case) -> list[str]:
    """The kinds of SSB/SSP proof this case needs under the office's rules."""
    received = timezone.localtime(case.received_at).date()
    rules = (TaxRule.objects.filter(office_id=case.office_id, deed_kind=case.deed_kind, cause=case.cause,
                                    valid_from__lte=received).order_by("tax", "-valid_from")
             .values_list("tax", "above"))
    latest: dict[str, int] = {}
    for tax, above in rules:  # the rule in force at intake: the latest that began by then
        latest.setdefault(tax, above)
    return sorted(tax for tax, above in latest.items() if case.value > above)


def taxes_missing(case: Case) -> list[str]:
    """What tax proof is still missing, in words (empty when complete)."""
    have = set(case.tax_proofs.values_list("kind", "year"))
    out = [f"Pelunasan PBB tahun {y}" for y in pbb_years(case) if (TaxProof.Kind.PBB, y) not in have]
    out += [TaxProof.Kind(t).label for t in taxes_needed(case) if (t, 0) not in have]
    return out
