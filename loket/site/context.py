"""Template context shared by every page: which office the page is about, who is looking, and
how many complaints wait for them (the badge on the dossier work lists; here so that dossiers
need not import complaints).

The values are callables, so the template engine evaluates them (one query each) only on
pages that actually show them.
"""

from functools import cache

from loket.offices.roles import staff_of


def site(request):
    @cache
    def staff():
        return staff_of(getattr(request, "user", None))

    @cache
    def office():
        if staff() is not None:
            return staff().office
        from loket.catalog.selectors import office_default

        return office_default()

    @cache
    def complaints_waiting():
        from loket.complaints.selectors import waiting_count

        return waiting_count(user=request.user)

    @cache
    def leadership_menu():
        """The leadership's entries of the staff menu, from its policy (no role compared in the
        template): the desk (the office, or "unit" for a Kasi), internal oversight and the staff
        evaluation."""
        from loket.leadership import policy

        user = getattr(request, "user", None)
        kind = policy.desk_kind(user)
        leader = policy.is_leader(user)
        return {"desk": bool(kind), "unit": kind == "unit", "oversight": leader, "evaluation": leader}

    @cache
    def privacy_menu():
        """What the privacy pages' own menu offers (read only on those pages: whether someone is
        the office's data protection officer takes a query)."""
        from loket.privacy import policy

        user = getattr(request, "user", None)
        handle = policy.may_handle(user)
        return {"requests": handle or policy.may_record_request(user), "handle": handle}

    return {"site_staff": staff, "site_office": office, "complaints_waiting": complaints_waiting,
            "leadership_menu": leadership_menu, "privacy_menu": privacy_menu}
