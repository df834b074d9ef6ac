"""Template context shared by every page: which office the page is about and who is looking.

Both values are callables, so the template engine evaluates them (one query each) only on
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

    return {"site_staff": staff, "site_office": office}
