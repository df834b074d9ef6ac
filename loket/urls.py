from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from loket.api_v1 import api
from loket.core.views import healthz, language
from loket.dossiers import urls as dossier_urls
from loket.dossiers import views as dossier_views
from loket.site import desk

admin.site.site_header = "Loket — administrasi"
admin.site.site_title = "Loket"

# Styled error pages with the site header and the ways back, in the visitor's language (core/views.py).
handler400 = "loket.core.views.bad_request"
handler403 = "loket.core.views.permission_denied"
handler404 = "loket.core.views.page_not_found"
handler500 = "loket.core.views.server_error"

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("bahasa/<str:code>/", language, name="language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The staff home and search are the site's, kept under the names dossiers:home and dossiers:search.
    path("staf/", include(([*desk.urlpatterns, *dossier_urls.urlpatterns], dossier_urls.app_name))),
    path("staf/register/", include("loket.dossiers.register_book_urls")),
    path("staf/pengaduan/", include("loket.complaints.urls")),
    path("staf/skm/", include("loket.surveys.staff_urls")),
    path("staf/gedung/", include("loket.rentals.urls")),
    path("staf/akta/", include("loket.deeds.urls")),
    path("staf/token/", include("loket.api.urls")),
    path("staf/naskah/", include("loket.papers.urls")),
    path("staf/standar/", include("loket.catalog.staff_urls")),
    path("staf/pimpinan/", include("loket.leadership.urls")),
    path("staf/privasi/", include("loket.privacy.urls")),
    path("staf/privasi/subjek/", include("loket.subjects.urls")),
    path("staf/privasi/retensi/", include("loket.subjects.retention_views")),
    path("lacak/", dossier_views.track, name="track"),
    path("lacak/<str:code>/", dossier_views.track_detail, name="track_detail"),
    path("verifikasi/<str:code>/", dossier_views.verify_detail, name="verify_detail"),
    path("", include("loket.surveys.urls")),
    path("", include("loket.privacy.public_urls")),  # /<office>/privasi/, before the catalog's pages
    path("", include("loket.leadership.public_urls")),  # /<office>/kinerja/, before the catalog's pages
    path("", include("loket.complaints.public_urls")),
    path("", include("loket.rentals.public_urls")),  # before the catalog's <office>/ pages
    path("", include("loket.catalog.urls")),
]
