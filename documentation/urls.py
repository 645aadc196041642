from django.urls import path
from django.utils.translation import pgettext_lazy

from documentation import views

app_name = "documentation"

urlpatterns = [
    path(pgettext_lazy("URL", "dokumentation/"), views.index, name="index"),
    path(
        pgettext_lazy("URL", "dokumentation/<int:pk>/<str:name>"),
        views.download,
        name="download",
    ),
    path("verwaltung/dokumentation/<int:pk>/", views.staff_file, name="staff_file"),
]
