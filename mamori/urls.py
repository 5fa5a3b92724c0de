from django.urls import include, path

from mamori.api.api import api
from mamori.checksheets.urls import portal_patterns

urlpatterns = [
    path("", include("mamori.web.urls")),
    path("", include("mamori.accounts.urls")),
    path("", include("mamori.tenancy.urls")),
    path("", include("mamori.trail.urls")),
    path("", include("mamori.ledger.urls")),
    path("", include("mamori.vendors.urls")),
    path("", include("mamori.checksheets.urls")),
    path("", include("mamori.incidents.urls")),
    path("", include("mamori.audits.urls")),
    path("p/<str:token>/", include(portal_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "mamori.web.errors.bad_request"
handler403 = "mamori.web.errors.permission_denied"
handler404 = "mamori.web.errors.page_not_found"
handler500 = "mamori.web.errors.server_error"
