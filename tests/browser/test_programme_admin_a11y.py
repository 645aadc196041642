"""The programme's admin pages as organisers use them, with the seeded programme loaded:
no WCAG 2.1 AA violation on the lists, the session form with its people inline, and the
speaker form with photo upload."""

import pytest

from tests.browser.helpers import assert_no_axe_violations
from tests.conftest import verified_superuser


@pytest.fixture
def organiser_page(site, page, django_user_model):
    verified_superuser(django_user_model, "orga@example.org", "ein-langes-passwort-2016")
    page.goto(site.url("/admin/login/"))
    page.locator("#id_login").fill("orga@example.org")
    page.locator("#id_password").fill("ein-langes-passwort-2016")
    page.locator("input[type=submit], button[type=submit]").last.click()
    return page


def test_programme_admin_pages_are_accessible(site, organiser_page):
    from programme.models import Session, Speaker

    page = organiser_page
    panel = Session.objects.get(slug="podiumsdiskussion-modellkommunen")
    speaker = Speaker.objects.get(slug="henning-schulz")
    for path in [
        "/admin/programme/session/",
        f"/admin/programme/session/{panel.pk}/change/",
        "/admin/programme/session/add/",
        "/admin/programme/speaker/",
        "/admin/programme/speaker/?photo=no",
        f"/admin/programme/speaker/{speaker.pk}/change/",
        "/admin/programme/speaker/add/",
    ]:
        response = page.goto(site.url(path))
        assert response.status == 200, f"{path} answered {response.status}"
        assert_no_axe_violations(page, path)
