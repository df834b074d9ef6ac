"""Loket's URLs and error handlers, plus one view that fails, for the 500 page's test."""

from django.urls import path

from loket import urls as loket_urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *loket_urls.urlpatterns]
handler400, handler403, handler404, handler500 = (
    loket_urls.handler400, loket_urls.handler403, loket_urls.handler404, loket_urls.handler500,
)
