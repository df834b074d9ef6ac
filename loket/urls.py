from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from loket.api.api import api

admin.site.site_header = "Loket — administrasi"
admin.site.site_title = "Loket"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("loket.catalog.urls")),
]
