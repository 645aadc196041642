from django.urls import path

from programme import views
from programme.models import Page

urlpatterns = [
    path("", views.home, name="home"),
    path("anfahrt/", views.page, {"slug": Page.Slug.DIRECTIONS}, name="directions"),
    path("impressum/", views.page, {"slug": Page.Slug.IMPRINT}, name="imprint"),
    path("datenschutz/", views.page, {"slug": Page.Slug.PRIVACY}, name="privacy"),
    path("barrierefreiheit/", views.page, {"slug": Page.Slug.ACCESSIBILITY}, name="accessibility"),
    path("leichte-sprache/", views.page, {"slug": Page.Slug.EASY_LANGUAGE}, name="easy_language"),
]
