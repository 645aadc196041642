from django.urls import path
from django.utils.translation import pgettext_lazy

from speakers import views

app_name = "speakers"

urlpatterns = [
    path(pgettext_lazy("URL", "mein-auftritt/"), views.portal, name="portal"),
    path(
        pgettext_lazy("URL", "mein-auftritt/teilnahme/"), views.participation, name="participation"
    ),
    path(pgettext_lazy("URL", "mein-auftritt/profil/"), views.profile, name="profile"),
    path(pgettext_lazy("URL", "mein-auftritt/termine.ics"), views.portal_ics, name="ics"),
    path(pgettext_lazy("URL", "mein-auftritt/folien/<slug:slug>/"), views.slides, name="slides"),
    path(
        pgettext_lazy("URL", "mein-auftritt/folien/datei/<int:pk>/"),
        views.slides_download,
        name="slides_download",
    ),
    path(
        "programm/<slug:slug>/folien/<slug:speaker_slug>.pdf",
        views.public_slides,
        name="public_slides",
    ),
    path("konto/einladung/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("konto/neue-einladung/", views.new_invitation_link, name="new_invitation_link"),
    path("verwaltung/folien/<int:pk>/", views.admin_slides, name="admin_slides"),
]
