from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    """The leadership's desk (issue 18): the service performance report of the counter services,
    and — built on the same figures — the dashboard, the staff evaluation and internal oversight."""

    name = "loket.leadership"
    label = "leadership"
    verbose_name = "Meja pimpinan"
