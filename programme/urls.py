from django.urls import path

from programme import views
from programme.models import Page

urlpatterns = [
    path("anfahrt/", views.page, {"slug": Page.Slug.DIRECTIONS}, name="directions"),
    path("impressum/", views.page, {"slug": Page.Slug.IMPRINT}, name="imprint"),
    path("datenschutz/", views.page, {"slug": Page.Slug.PRIVACY}, name="privacy"),
    path("barrierefreiheit/", views.page, {"slug": Page.Slug.ACCESSIBILITY}, name="accessibility"),
    path("programm/", views.programme, name="programme"),
    path("programm.ics", views.programme_ics, name="programme_ics"),
    path("programm/<slug:slug>.ics", views.session_ics, name="session_ics"),
    path("programm/<slug:slug>/", views.session_detail, name="session"),
    path("referierende/", views.speakers, name="speakers"),
    path("referierende/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("referierende/<slug:slug>.ics", views.speaker_ics, name="speaker_ics"),
    path("schedule.json", views.schedule_json, name="schedule_json"),
    path("schedule.xml", views.schedule_xml, name="schedule_xml"),
    path("vorschau/<slug:digest>.png", views.preview_image, name="preview_image"),
    path("leichte-sprache/", views.page, {"slug": Page.Slug.EASY_LANGUAGE}, name="easy_language"),
]
