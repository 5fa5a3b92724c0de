from django.urls import include, path

from mamori.preparedness import views

urlpatterns = [
    path("preparedness/plan/", views.plan_view, name="response_plan"),
    path("preparedness/plan/print/", views.plan_print_view, name="response_plan_print"),
    path("preparedness/plan/contacts/", views.contact_add_view, name="response_plan_contact_add"),
    path(
        "preparedness/plan/contacts/<uuid:uuid>/delete/",
        views.contact_delete_view,
        name="response_plan_contact_delete",
    ),
    path("preparedness/drills/<uuid:uuid>/generate/", views.drill_generate_view, name="drill_generate"),
    path("preparedness/drills/<uuid:uuid>/start/", views.drill_start_view, name="drill_start"),
    path("preparedness/drills/<uuid:uuid>/finish/", views.drill_finish_view, name="drill_finish"),
    path("preparedness/drills/", include(views.drills.urls())),
]
