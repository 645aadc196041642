"""Public registration pages (sign-up, confirmation, self-service)."""

from django.urls import path

from registration import checkin_views, views

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
        "anmeldung/verwalten/<str:token>/meine-daten/",
        views.personal_data,
        name="personal_data",
    ),
    path(
        "anmeldung/verwalten/<str:token>/teilnehmende/",
        views.participant_list,
        name="participant_list",
    ),
    path("teilnehmende/", views.participant_list_for_staff, name="participant_list_staff"),
    path(
        "anmeldung/verwalten/<str:token>/teilnahmebescheinigung.pdf",
        views.certificate,
        name="certificate",
    ),
    path(
        "anmeldung/email-bestaetigen/<str:token>/",
        views.confirm_email_change,
        name="confirm_email_change",
    ),
    path("anmeldung/link-vergessen/", views.lost_link, name="lost_link"),
    # The door (staff with the check-in permission).
    path("checkin/", checkin_views.door, name="checkin"),
    path("checkin/<int:pk>/einlassen/", checkin_views.check_in, name="checkin_check_in"),
    path("checkin/<int:pk>/rueckgaengig/", checkin_views.undo, name="checkin_undo"),
    path("checkin/gaesteliste.json", checkin_views.snapshot, name="checkin_snapshot"),
    path("checkin/senden/", checkin_views.sync, name="checkin_sync"),
    path("checkin/neu/", checkin_views.walk_in, name="checkin_walk_in"),
    path("checkin/neu/<int:pk>/", checkin_views.walk_in_done, name="checkin_walk_in_done"),
    path("checkin/abmelden/", checkin_views.door_logout, name="checkin_logout"),
    path("checkin/sw.js", checkin_views.service_worker, name="checkin_service_worker"),
]
