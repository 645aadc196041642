from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from eventsite import discovery, views

admin.site.site_header = _("E-Government-Modellkommunen – Verwaltung")
admin.site.site_title = _("Abschlussveranstaltung Modellkommune E-Government")
admin.site.index_title = _("Veranstaltung verwalten")
# The admin has no login form of its own: /admin/login/ sends people to the account login,
# so staff get the same rate limits, lockout and two-factor step as everyone else.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", discovery.security_txt, name="security_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": discovery.SITEMAPS}, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("", views.home, name="home"),
    path("", include("speakers.urls")),
    path("", include("feedback.urls")),
    path("", include("documentation.urls")),
    path("", include("registration.urls")),
    path("", include("programme.urls")),
    prefix_default_language=False,
)

handler400 = "eventsite.views.bad_request"
handler404 = "eventsite.views.page_not_found"
handler500 = "eventsite.views.server_error"

if settings.SERVE_MEDIA:
    # Speaker photos. A production proxy may serve MEDIA_ROOT itself (SERVE_MEDIA=false).
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
