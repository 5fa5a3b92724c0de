from django.urls import include, path

from mamori.checksheets.urls import portal_patterns
from mamori.platform.api.api import api

urlpatterns = [
    path("", include("mamori.platform.web.urls")),
    path("", include("mamori.platform.accounts.urls")),
    path("", include("mamori.platform.tenancy.urls")),
    path("", include("mamori.platform.trail.urls")),
    path("", include("mamori.ledger.urls")),
    path("", include("mamori.vendors.urls")),
    path("", include("mamori.checksheets.urls")),
    path("", include("mamori.incidents.urls")),
    path("", include("mamori.audits.urls")),
    path("", include("mamori.provisions.urls")),
    path("", include("mamori.preparedness.urls")),
    path("", include("mamori.standards.urls")),
    path("", include("mamori.portfolio.urls")),
    path("", include("mamori.answerlib.urls")),
    path("p/<str:token>/", include(portal_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "mamori.platform.web.errors.bad_request"
handler403 = "mamori.platform.web.errors.permission_denied"
handler404 = "mamori.platform.web.errors.page_not_found"
handler500 = "mamori.platform.web.errors.server_error"
