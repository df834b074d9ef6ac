from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition root: setup, demo data, the staff home, the cross-app search and the staff
    menu. It may import every app; no app imports it (docs/architecture.md, "Layers")."""

    name = "loket.site"
    label = "loket_site"
    verbose_name = "Loket (site)"
