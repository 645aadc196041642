"""Public registration pages (sign-up, confirmation, self-service)."""

from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("anmeldung/", views.registration_form, name="form"),
    path("anmeldung/danke/", views.thanks, name="thanks"),
    path("anmeldung/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("anmeldung/verwalten/<str:token>/", views.manage, name="manage"),
    path("anmeldung/verwalten/<str:token>/aendern/", views.edit_details, name="edit"),
    path("anmeldung/verwalten/<str:token>/email/", views.change_email, name="change_email"),
    path("anmeldung/verwalten/<str:token>/stornieren/", views.cancel, name="cancel"),
    path(
        "anmeldung/email-bestaetigen/<str:token>/",
        views.confirm_email_change,
        name="confirm_email_change",
    ),
    path("anmeldung/link-vergessen/", views.lost_link, name="lost_link"),
]
