import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from lxml import html

from registration import services
from registration.models import Registration, RegistrationSettings
from tests.registration.conftest import templates_of

Status = Registration.Status

FORM = {
    "salutation": "",
    "academic_title": "",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "email": "erika@example.org",
    "organisation": "Stadt Musterstadt",
    "position": "",
    "category": "municipality",
    "model_municipality": "",
    "accessibility_needs": "",
    "privacy_consent": "on",
    "website": "",
}


def path_of(url: str) -> str:
    return urlsplit(url).path


def error_texts(response) -> str:
    tree = html.fromstring(response.content)
    return " ".join(tree.xpath('//div[@class="error-summary"]//text()'))


@pytest.mark.django_db
class TestSignUpPage:
    def test_form_shows_free_seats(self, client, event):
        response = client.get("/anmeldung/")
        assert response.status_code == 200
        assert "Noch 200 Plätze frei." in response.content.decode()

    def test_english_form(self, client, event):
        response = client.get("/en/anmeldung/")
        assert response.status_code == 200
        assert 'lang="en"' in response.content.decode()

    def test_full_event_offers_waiting_list(self, client, event):
        services.set_capacity(event=event, capacity=0)
        response = client.get("/anmeldung/")
        content = response.content.decode()
        assert "Alle Plätze sind vergeben." in content
        assert "Auf die Warteliste setzen" in content

    def test_valid_post_redirects_to_check_your_mail(self, client, event, queued):
        response = client.post("/anmeldung/", FORM)

        assert response.status_code == 302
        assert response["Location"] == "/anmeldung/danke/"
        assert Registration.objects.get().status == Status.HELD
        assert templates_of(queued) == ["confirm_address"]
        assert client.get(response["Location"]).status_code == 200

    def test_english_registration_gets_english_language(self, client, event, queued):
        client.post("/en/anmeldung/", FORM)
        assert Registration.objects.get().language == "en"
        assert "/en/anmeldung/bestaetigen/" in queued[0]["context"]["confirm_url"]

    def test_double_submit_gives_same_answer_and_one_registration(self, client, event, queued):
        first = client.post("/anmeldung/", FORM)
        second = client.post("/anmeldung/", FORM)

        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Registration.objects.count() == 1

    def test_honeypot_pretends_success_and_stores_nothing(self, client, event, queued):
        response = client.post("/anmeldung/", {**FORM, "website": "http://spam.example"})

        assert response.status_code == 302
        assert Registration.objects.count() == 0
        assert queued == []

    def test_sign_up_records_the_privacy_notice_version_it_agreed_to(self, client, event):
        from programme.models import Page

        notice = Page.objects.get(slug=Page.Slug.PRIVACY)
        client.post("/anmeldung/", FORM, REMOTE_ADDR="192.0.2.1")
        first = Registration.objects.get(email=FORM["email"])
        assert first.privacy_consent_version == notice.updated_at.isoformat(timespec="seconds")

        Page.objects.filter(pk=notice.pk).update(
            updated_at=notice.updated_at + datetime.timedelta(days=3)
        )
        client.post("/anmeldung/", {**FORM, "email": "zweite@example.org"}, REMOTE_ADDR="192.0.2.2")
        second = Registration.objects.get(email="zweite@example.org")
        assert second.privacy_consent_version == (
            notice.updated_at + datetime.timedelta(days=3)
        ).isoformat(timespec="seconds")

        Page.objects.filter(pk=notice.pk).delete()
        client.post("/anmeldung/", {**FORM, "email": "dritte@example.org"}, REMOTE_ADDR="192.0.2.3")
        third = Registration.objects.get(email="dritte@example.org")
        assert third.privacy_consent_version == "unpublished"

    def test_honeypot_is_hidden_from_people_and_screen_readers(self, client, event):
        tree = html.fromstring(client.get("/anmeldung/").content)
        wrapper = tree.xpath('//input[@name="website"]/..')[0]
        assert wrapper.get("aria-hidden") == "true"
        assert tree.xpath('//input[@name="website"]')[0].get("tabindex") == "-1"

    def test_closed_window_says_so_and_refuses_post(self, client, event):
        RegistrationSettings.objects.create(event=event, closed_manually=True)

        page = client.get("/anmeldung/")
        assert "Die Anmeldung ist geschlossen" in page.content.decode()
        assert not html.fromstring(page.content).xpath("//form[.//input[@name='email']]")
        response = client.post("/anmeldung/", FORM)
        assert response.status_code == 403
        assert Registration.objects.count() == 0

    def test_rate_limit_answers_429_with_friendly_page(self, client, event, monkeypatch):
        monkeypatch.setattr(services, "RATE_LIMIT_PER_EMAIL", 1)
        client.post("/anmeldung/", FORM)
        response = client.post("/anmeldung/", FORM)

        assert response.status_code == 429
        assert "Zu viele Anfragen" in response.content.decode()

    def test_rate_limit_page_in_english(self, client, event, monkeypatch):
        monkeypatch.setattr(services, "RATE_LIMIT_PER_EMAIL", 0)
        response = client.post("/en/anmeldung/", FORM)
        assert response.status_code == 429
        assert "Too many requests" in response.content.decode()

    def test_post_without_csrf_token_is_refused(self, event):
        csrf_client = Client(enforce_csrf_checks=True)
        response = csrf_client.post("/anmeldung/", FORM)
        assert response.status_code == 403
        assert Registration.objects.count() == 0

    def test_home_page_shows_live_seat_status(self, client, event, register):
        register("a@example.org")
        content = client.get("/").content.decode()
        assert "Noch 199 von 200 Plätzen frei." in content
        assert "Jetzt anmelden" in content

    def test_home_page_call_to_register_follows_the_seat_status(self, client, event, register):
        services.set_capacity(event=event, capacity=1)
        register("a@example.org")
        full = client.get("/").content.decode()
        assert "Auf die Warteliste" in full
        assert "Jetzt anmelden" not in full

        RegistrationSettings.objects.update_or_create(
            event=event, defaults={"closed_manually": True}
        )
        closed = client.get("/").content.decode()
        assert "Die Anmeldung ist geschlossen." in closed
        assert not html.fromstring(closed).xpath("//main//a[contains(@href, '/anmeldung/')]")


def form_fields_html(response) -> str:
    """The sign-up form's fields as served, without the per-visitor CSRF token."""
    form = html.fromstring(response.content).xpath("//form[.//input[@name='email']]")[0]
    for token in form.xpath(".//input[@name='csrfmiddlewaretoken']"):
        token.getparent().remove(token)
    return html.tostring(form, encoding="unicode")


@pytest.mark.django_db
class TestSignUpPageRenderedOnce:
    """The empty form's fields are rendered once per language and process
    (registration_tags.sign_up_fields); nothing personal may come from that copy."""

    @pytest.fixture(autouse=True)
    def cold(self, monkeypatch):
        from registration.templatetags import registration_tags

        monkeypatch.setattr(registration_tags, "_empty_sign_up_fields", {})

    def test_later_visitors_get_the_same_form_as_the_first(self, client, event):
        first = client.get("/anmeldung/")
        later = Client().get("/anmeldung/")
        assert form_fields_html(later) == form_fields_html(first)
        assert 'name="email"' in form_fields_html(later)

    def test_each_language_gets_its_own_form(self, client, event):
        client.get("/anmeldung/")
        english = form_fields_html(client.get("/en/anmeldung/"))
        german = form_fields_html(client.get("/anmeldung/"))
        assert "Email address" in english and "E-Mail-Adresse" not in english
        assert "E-Mail-Adresse" in german and "Email address" not in german
        assert "/en/datenschutz/" in english and "/en/datenschutz/" not in german

    def test_the_code_of_an_invitation_link_reaches_only_its_visitor(self, client, event):
        client.get("/anmeldung/")
        invited = client.get("/anmeldung/?code=ABCD-EFGH")
        assert html.fromstring(invited.content).xpath(
            "//input[@name='invitation_code']/@value"
        ) == ["ABCD-EFGH"]
        assert "ABCD-EFGH" not in Client().get("/anmeldung/").content.decode()

    def test_a_refused_form_keeps_what_was_typed_and_shows_its_errors(self, client, event):
        client.get("/anmeldung/")
        response = client.post("/anmeldung/", {**FORM, "email": "not-an-address"})
        assert response.status_code == 400
        tree = html.fromstring(response.content)
        assert tree.xpath("//input[@name='first_name']/@value") == ["Erika"]
        assert tree.xpath("//input[@name='email'][@aria-invalid='true']")
        assert "not-an-address" not in Client().get("/anmeldung/").content.decode()

    def test_the_page_reads_the_event_once(self, client, event):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get("/anmeldung/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/anmeldung/").status_code == 200
        event_reads = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].lstrip().startswith("SELECT")
            and 'FROM "programme_event"' in query["sql"]
        ]
        assert len(event_reads) == 1, event_reads


@pytest.mark.django_db
class TestBadInput:
    def post(self, client, **changes):
        return client.post("/anmeldung/", {**FORM, **changes})

    @pytest.mark.parametrize(
        "first,last",
        [
            ("Jürgen", "Störmer-Ähtäri"),
            ("François", "Núñez"),
            ("Søren", "Łukasiewicz"),
            ("Владимир", "Иванов"),
            ("明", "王"),
            ("محمد", "العلي"),
            ("Ὀδυσσεύς", "Λαέρτιος"),
        ],
    )
    def test_names_in_any_script_are_accepted_and_kept(self, client, event, first, last):
        response = self.post(client, first_name=first, last_name=last)
        assert response.status_code == 302
        registration = Registration.objects.get()
        assert (registration.first_name, registration.last_name) == (first, last)

    def test_decomposed_umlauts_are_normalised(self, client, event):
        self.post(client, first_name="Ju\u0308rgen")
        assert Registration.objects.get().first_name == "Jürgen"

    @pytest.mark.parametrize("value", ["Erika\x00", "Eri\x1bka", "Erika\u202e", "\x07"])
    def test_control_characters_are_refused(self, client, event, value):
        response = self.post(client, first_name=value)
        assert response.status_code == 400
        assert "Vorname:" in error_texts(response)
        assert Registration.objects.count() == 0

    def test_html_in_name_is_refused_and_never_rendered(self, client, event):
        response = self.post(client, last_name="<script>alert(1)</script>")
        assert response.status_code == 400
        assert "<script>alert(1)" not in response.content.decode()
        assert Registration.objects.count() == 0

    def test_html_in_free_text_is_kept_as_text_and_escaped(self, client, event, register):
        self.post(client, accessibility_needs="<b>Rollstuhl</b> & Begleitperson")
        registration = Registration.objects.get()
        assert registration.accessibility_needs == "<b>Rollstuhl</b> & Begleitperson"

    @pytest.mark.parametrize(
        "field,length",
        [
            ("first_name", 101),
            ("last_name", 101),
            ("organisation", 201),
            ("accessibility_needs", 1001),
        ],
    )
    def test_overlong_fields_are_refused(self, client, event, field, length):
        response = self.post(client, **{field: "x" * length})
        assert response.status_code == 400
        assert Registration.objects.count() == 0

    def test_overlong_email_is_refused(self, client, event):
        response = self.post(client, email="a" * 250 + "@example.org")
        assert response.status_code == 400

    def test_missing_consent_is_refused_with_clear_message(self, client, event):
        data = dict(FORM)
        del data["privacy_consent"]
        response = client.post("/anmeldung/", data)
        assert response.status_code == 400
        assert "Datenschutzhinweisen zu" in error_texts(response)
        assert Registration.objects.count() == 0

    def test_missing_consent_message_in_english(self, client, event):
        data = dict(FORM)
        del data["privacy_consent"]
        response = client.post("/en/anmeldung/", data)
        assert response.status_code == 400
        assert "privacy notice" in error_texts(response)

    def test_invalid_email_and_category(self, client, event):
        response = self.post(client, email="not-an-address", category="royalty")
        assert response.status_code == 400
        tree = html.fromstring(response.content)
        email_input = tree.xpath('//input[@name="email"]')[0]
        assert email_input.get("aria-invalid") == "true"
        assert "id_email_error" in email_input.get("aria-describedby")
        assert tree.xpath('//*[@id="id_email_error"]')

    def test_model_municipality_required_for_that_category(self, client, event):
        response = self.post(client, category="model_municipality")
        assert response.status_code == 400
        response = self.post(client, category="model_municipality", model_municipality="guetersloh")
        assert response.status_code == 302
        assert Registration.objects.get().model_municipality == "guetersloh"

    def test_model_municipality_ignored_for_other_categories(self, client, event):
        self.post(client, category="science", model_municipality="guetersloh")
        assert Registration.objects.get().model_municipality == ""

    def test_form_has_autocomplete_and_labels(self, client, event):
        tree = html.fromstring(client.get("/anmeldung/").content)
        assert tree.xpath('//input[@name="first_name"]')[0].get("autocomplete") == "given-name"
        assert tree.xpath('//input[@name="email"]')[0].get("autocomplete") == "email"
        for field in tree.xpath("//form[contains(@class,'registration-form')]//input[@id]"):
            if field.get("type") == "hidden":
                continue
            assert tree.xpath(f'//label[@for="{field.get("id")}"]'), field.get("name")


@pytest.mark.django_db
class TestLinks:
    def confirm_path(self, queued):
        return path_of(queued[0]["context"]["confirm_url"])

    def test_get_on_confirmation_link_changes_nothing(self, client, event, queued):
        client.post("/anmeldung/", FORM)
        response = client.get(self.confirm_path(queued))

        assert response.status_code == 200
        assert Registration.objects.get().status == Status.HELD
        assert "<form" in response.content.decode()

    def test_post_confirms(self, client, event, queued):
        client.post("/anmeldung/", FORM)
        response = client.post(self.confirm_path(queued))

        assert response.status_code == 200
        assert "Ihre Anmeldung ist bestätigt" in response.content.decode()
        assert Registration.objects.get().status == Status.CONFIRMED

    def test_private_pages_leak_no_referrer_no_index_no_cache(self, client, event, queued):
        client.post("/anmeldung/", FORM)
        client.post(self.confirm_path(queued))
        manage = path_of(queued[-1]["context"]["manage_url"])
        for path in [
            self.confirm_path(queued),
            manage,
            manage + "aendern/",
            manage + "stornieren/",
            manage + "email/",
            "/anmeldung/verwalten/forged/",
        ]:
            response = client.get(path)
            # same-origin: never sent to other sites; "no-referrer" made browsers send
            # "Origin: null" on these pages' own forms, which CSRF rejects (browser test).
            assert response["Referrer-Policy"] == "same-origin", path
            assert "noindex" in response["X-Robots-Tag"], path
            assert "no-store" in response["Cache-Control"], path
            assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()

    @pytest.mark.parametrize(
        "path",
        [
            "/anmeldung/bestaetigen/forged/",
            "/anmeldung/verwalten/forged/",
            "/anmeldung/verwalten/forged/stornieren/",
            "/anmeldung/email-bestaetigen/forged/",
            "/anmeldung/verwalten/" + "x" * 500 + "/",
        ],
    )
    def test_forged_links_give_friendly_404(self, client, event, path):
        response = client.get(path)
        assert response.status_code == 404
        assert "Link ist ungültig" in response.content.decode()

    def test_expired_confirmation_link_gives_410(self, client, event, queued):
        client.post("/anmeldung/", FORM)
        Registration.objects.update(hold_expires_at=timezone.now() - datetime.timedelta(minutes=1))

        response = client.post(self.confirm_path(queued))

        assert response.status_code == 410
        assert "erneut anmelden" in response.content.decode()
        assert Registration.objects.get().status == Status.EXPIRED

    def test_manage_page_shows_status_and_entry_code(
        self, client, event, confirmed_registration, queued
    ):
        registration = confirmed_registration("a@example.org")
        response = client.get(f"/anmeldung/verwalten/{registration.manage_token()}/")
        content = response.content.decode()
        assert "Ihr Platz ist sicher" in content
        assert registration.entry_code_display in content

    def test_manage_page_shows_waiting_position(self, client, event, confirmed_registration):
        services.set_capacity(event=event, capacity=0)
        confirmed_registration("w1@example.org")
        second = confirmed_registration("w2@example.org")
        response = client.get(f"/anmeldung/verwalten/{second.manage_token()}/")
        assert "Platz 2 der Warteliste" in response.content.decode()

    def test_cancel_needs_confirmation_step_by_post(self, client, event, confirmed_registration):
        registration = confirmed_registration("a@example.org")
        cancel = f"/anmeldung/verwalten/{registration.manage_token()}/stornieren/"

        assert client.get(cancel).status_code == 200
        registration.refresh_from_db()
        assert registration.status == Status.CONFIRMED

        response = client.post(cancel)
        assert response.status_code == 302
        registration.refresh_from_db()
        assert registration.status == Status.CANCELLED
        assert "storniert" in client.get(response["Location"]).content.decode()

    def test_edit_details(self, client, event, confirmed_registration, queued):
        registration = confirmed_registration("a@example.org")
        edit = f"/anmeldung/verwalten/{registration.manage_token()}/aendern/"
        data = {
            **FORM,
            "organisation": "Ortenaukreis",
            "category": "model_municipality",
            "model_municipality": "ortenaukreis",
            "participant_list_consent": "on",
        }

        response = client.post(edit, data)

        assert response.status_code == 302
        registration.refresh_from_db()
        assert registration.organisation == "Ortenaukreis"
        assert registration.participant_list_consent is True
        assert templates_of(queued)[-1] == "changed"

    def test_edit_with_bad_input_is_400(self, client, event, confirmed_registration):
        registration = confirmed_registration("a@example.org")
        edit = f"/anmeldung/verwalten/{registration.manage_token()}/aendern/"
        response = client.post(edit, {**FORM, "first_name": ""})
        assert response.status_code == 400

    def test_change_email_flow(self, client, event, confirmed_registration, queued):
        registration = confirmed_registration("old@example.org")
        change = f"/anmeldung/verwalten/{registration.manage_token()}/email/"

        assert client.post(change, {"new_email": "new@example.org"}).status_code == 302
        link = path_of(queued[-1]["context"]["confirm_url"])
        assert client.get(link).status_code == 200
        registration.refresh_from_db()
        assert registration.email == "old@example.org"

        response = client.post(link)
        assert response.status_code == 200
        registration.refresh_from_db()
        assert registration.email == "new@example.org"

    def test_change_email_to_same_address_is_a_form_error(
        self, client, event, confirmed_registration
    ):
        registration = confirmed_registration("a@example.org")
        change = f"/anmeldung/verwalten/{registration.manage_token()}/email/"
        assert client.post(change, {"new_email": "A@example.org"}).status_code == 400

    def test_lost_link_answers_the_same_for_known_and_unknown(
        self, client, event, confirmed_registration, queued
    ):
        confirmed_registration("known@example.org")
        known = client.post("/anmeldung/link-vergessen/", {"email": "known@example.org"})
        unknown = client.post("/anmeldung/link-vergessen/", {"email": "nobody@example.org"})

        assert known.status_code == unknown.status_code == 200
        strip = lambda r: r.content.decode().replace("csrf", "")  # noqa: E731
        assert strip(known) == strip(unknown)
        assert templates_of(queued)[-1] == "your_link"

    def test_lost_link_rate_limited(self, client, event, monkeypatch):
        monkeypatch.setattr(services, "RATE_LIMIT_PER_EMAIL", 1)
        client.post("/anmeldung/link-vergessen/", {"email": "a@example.org"})
        response = client.post("/anmeldung/link-vergessen/", {"email": "a@example.org"})
        assert response.status_code == 429
