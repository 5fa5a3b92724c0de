"""The site's URLs plus a view that fails, to see the 500 page (tests only)."""

from django.urls import path

from mamori import urls as root


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-boom/", boom), *root.urlpatterns]

handler400 = root.handler400
handler403 = root.handler403
handler404 = root.handler404
handler500 = root.handler500
