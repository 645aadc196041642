"""The seeded legal and service pages: complete, idempotent, editable, honest."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from programme.models import Page
from programme.pages import fill_in, has_open_placeholders, page_values
from programme.seed_pages import PAGES, SUPERSEDED_DEFAULTS, fingerprint, seed_pages


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_is_seeded_in_german_and_english(event):
    for slug in Page.Slug:
        page = Page.objects.get(slug=slug)
        assert page.title_de and page.title_en
        assert page.body_de and page.body_en
        assert page.body_de != page.body_en


def test_reseeding_keeps_an_organisers_edit(event):
    Page.objects.filter(slug=Page.Slug.IMPRINT).update(
        body_de="Anbieter: Stadt Beispiel", title_en="Imprint"
    )

    call_command("load_event")
    call_command("load_event")

    page = Page.objects.get(slug=Page.Slug.IMPRINT)
    assert page.body_de == "Anbieter: Stadt Beispiel"
    assert page.title_en == "Imprint"
    assert page.body_en == PAGES[Page.Slug.IMPRINT].body_en
    assert Page.objects.count() == len(Page.Slug)


def test_reseeding_restores_a_deleted_page_and_changes_nothing_else(event):
    Page.objects.filter(slug=Page.Slug.PRIVACY).delete()
    before = {p.slug: p.updated_at for p in Page.objects.all()}

    changed = seed_pages()

    assert [p.slug for p in changed] == [Page.Slug.PRIVACY]
    after = {p.slug: p.updated_at for p in Page.objects.exclude(slug=Page.Slug.PRIVACY)}
    assert after == before


def test_reseeding_replaces_an_untouched_placeholder_of_an_earlier_version(event):
    old = "[PLATZHALTER: vom Betreiber zu ergänzen]"
    Page.objects.filter(slug=Page.Slug.ACCESSIBILITY).update(body_de=old)

    seed_pages()

    page = Page.objects.get(slug=Page.Slug.ACCESSIBILITY)
    assert page.body_de == PAGES[Page.Slug.ACCESSIBILITY].body_de


def test_operator_details_are_marked_as_placeholders(event):
    for slug in (Page.Slug.IMPRINT, Page.Slug.PRIVACY):
        page = Page.objects.get(slug=slug)
        assert has_open_placeholders(page.body_de), slug
        assert has_open_placeholders(page.body_en), slug


def test_imprint_names_ddg_and_shows_placeholders_clearly(client, event):
    html = text_of(client, "/impressum/")

    assert "§ 5 Digitale-Dienste-Gesetz (DDG)" in html
    assert "[Anbieter: Name der Behörde oder Organisation – bitte eintragen]" in html
    assert "mailto:veranstaltung@example.org" in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/datenschutz/", "für eine Anmeldung von heute also am <strong>"),
        ("/en/datenschutz/", "so for a registration made today on <strong>"),
    ],
)
def test_privacy_notice_renders_retention_period_from_setting(client, event, path, expected):
    # The seeded event is long past: a registration made today is kept 90 days from today.
    day = timezone.localdate() + datetime.timedelta(days=90)
    html = text_of(client, path)
    assert expected + day.strftime("%d.%m.%Y") + "</strong>" in html
    assert "21.12.2016" not in html


def test_privacy_notice_follows_a_changed_retention_setting(client, event, settings):
    settings.RETENTION_DAYS_AFTER_EVENT = 30
    settings.INACTIVE_DATA_HOURS = 12

    html = text_of(client, "/datenschutz/")

    assert "30 Tage nach der Veranstaltung" in html
    assert (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d.%m.%Y") in html
    assert "<strong>12 Stunden danach</strong>" in html


def test_privacy_notice_of_a_future_event_counts_from_the_event(client, event, settings):
    event.date = timezone.localdate() + datetime.timedelta(days=10)
    event.save()

    html = text_of(client, "/datenschutz/")

    assert (event.date + datetime.timedelta(days=90)).strftime("%d.%m.%Y") in html


def test_privacy_notice_covers_article_13(client, event):
    html = text_of(client, "/datenschutz/")

    for required in [
        "Verantwortlicher",
        "Datenschutzbeauftragte",
        "Vorname und Nachname",
        "Organisation",
        "Unterstützungsbedarf",
        "Teilnehmendenliste",
        "Rechtsgrundlage",
        "Artikel 6 Absatz 1 Buchstabe b DSGVO",
        "Artikel 9 Absatz 2 Buchstabe a DSGVO",
        "Empfänger",
        "Artikel 15 DSGVO",
        "Artikel 77",
        "keine Cookies zur Nachverfolgung",
        "csrftoken",
    ]:
        assert required in html, required


def test_accessibility_statement_is_honest_and_names_feedback_and_enforcement(client, event):
    html = text_of(client, "/barrierefreiheit/")

    assert "<strong>teilweise vereinbar</strong>" in html
    assert "noch keine Videos in Deutscher Gebärdensprache" in html
    assert 'id="gebaerdensprache"' in html
    assert "mailto:veranstaltung@example.org" in html
    assert "Schlichtungsstelle" in html
    assert "§ 16" in html


def test_english_accessibility_statement(client, event):
    html = text_of(client, "/en/barrierefreiheit/")

    assert "<strong>partially compliant</strong>" in html
    assert "Enforcement procedure" in html


def test_leichte_sprache_explains_event_registration_navigation_and_accessibility(client, event):
    html = text_of(client, "/leichte-sprache/")

    for required in [
        "Am Donnerstag, 22. September 2016.",
        "Das Treffen beginnt um 10:00 Uhr.",
        "Reichstagufer 14",
        "Ausweis mit einem Foto",
        'href="/anmeldung/"',
        "Oben auf jeder Seite ist ein Menü.",
        "noch keine Filme in Gebärden-Sprache",
    ]:
        assert required in html, required


def test_leichte_sprache_keeps_sentences_short():
    body = PAGES[Page.Slug.EASY_LANGUAGE].body_de
    sentences = [
        line
        for line in body.splitlines()
        if line and not line.startswith(("#", "- ", "[")) and not line[0].isdigit()
    ]
    too_long = [s for s in sentences if len(s.split()) > 12]

    assert too_long == []


def test_directions_show_venue_transport_id_check_and_claim_no_accessibility(client, event):
    html = text_of(client, "/anfahrt/")

    assert "Presse- und Besucherzentrum des Bundespresseamts" in html
    assert "Friedrichstraße" in html
    assert "Lichtbildausweis" in html
    assert "openstreetmap.org" in html
    assert "<iframe" not in html
    assert "liegen uns noch nicht vor" in html
    assert "rollstuhlgerecht" not in html.lower()


def test_home_links_easy_language_sign_language_and_statement(client, event):
    html = text_of(client, "/")

    assert 'href="/leichte-sprache/"' in html
    assert 'href="/barrierefreiheit/#gebaerdensprache"' in html
    assert 'href="/barrierefreiheit/"' in html


def test_home_links_to_an_uploaded_sign_language_video(client, event):
    Page.objects.filter(slug=Page.Slug.EASY_LANGUAGE).update(
        sign_language_video="videos/leichte-sprache.mp4"
    )

    home = text_of(client, "/")
    page = text_of(client, "/leichte-sprache/")

    assert 'href="/leichte-sprache/#gebaerdensprache"' in home
    assert '<video controls preload="metadata" src="/media/videos/leichte-sprache.mp4"' in page


def test_unknown_placeholders_stay_as_written():
    values = page_values(None)

    assert fill_in("{retention_days} {unknown} {{x}}", values) == "90 {unknown} {{x}}"


def test_placeholder_values_follow_the_event(event):
    event.date = timezone.localdate() + datetime.timedelta(days=1)

    expected = event.date + datetime.timedelta(days=90)
    assert page_values(event)["deletion_date"] == expected.strftime("%d.%m.%Y")


def test_admin_lists_pages_with_open_placeholders(admin_client, event):
    response = admin_client.get("/admin/programme/page/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Platzhalter offen" in html
    assert (
        "{retention_days}"
        in admin_client.get(
            f"/admin/programme/page/{Page.objects.get(slug=Page.Slug.PRIVACY).pk}/change/"
        ).content.decode()
    )


def test_organiser_edits_a_page_in_the_admin(admin_client, client, event):
    page = Page.objects.get(slug=Page.Slug.IMPRINT)
    url = f"/admin/programme/page/{page.pk}/change/"
    form = {
        "slug": page.slug,
        "title_de": "Impressum",
        "title_en": "Legal notice",
        "body_de": "## Anbieter\n\nStadt Beispiel\nMarktplatz 1",
        "body_en": "## Provider\n\nExample town",
    }

    response = admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    html = text_of(client, "/impressum/")
    assert "Stadt Beispiel<br>\nMarktplatz 1" in html
    assert "Example town" in text_of(client, "/en/impressum/")


def test_privacy_notice_states_the_email_retention_setting(client, event, settings):
    settings.EMAIL_RETENTION_DAYS = 14

    assert "löschen wir 14 Tage nach dem Versand" in text_of(client, "/datenschutz/")


OLD_RETENTION_DE = (
    "Wir löschen die Angaben zu Ihrer Anmeldung **{retention_days} Tage nach der "
    "Veranstaltung**, also spätestens am **{deletion_date}**. Die E-Mails, die wir Ihnen "
    "schicken, löschen wir {email_retention_days} Tage nach dem Versand. Wenn Sie Ihre "
    "Anmeldung vorher stornieren oder eine Einwilligung widerrufen, löschen wir die betroffenen "
    "Angaben, sobald wir sie nicht mehr brauchen; eine Vormerkung, die Sie nicht bestätigen, "
    "verfällt automatisch."
)


AFTER_THE_EVENT_DE = (
    "\nNach der Veranstaltung schreiben wir Ihnen nur noch aus diesen Anlässen: einmal, wenn wir"
    " die Dokumentation (Vorträge, Bericht, Leitfaden) veröffentlichen, und, wenn Sie am Einlass"
    " erfasst wurden, mit dem Link zu Ihrer Teilnahmebescheinigung und mit der Bitte um eine"
    " Rückmeldung. Die Rückmeldung ist freiwillig und"
    " anonym: Wir speichern Ihre Antworten ohne Namen, E-Mail-Adresse oder einen anderen Bezug"
    " zu Ihrer Anmeldung, nur mit dem Tag des Eingangs.\n"
)


def _before_the_emails_after_the_event() -> str:
    body = PAGES[Page.Slug.PRIVACY].body_de
    assert AFTER_THE_EVENT_DE in body
    return body.replace(AFTER_THE_EVENT_DE, "")


def _before_the_true_deletion_day() -> str:
    body = _before_the_emails_after_the_event()
    start = body.index("Wir löschen die Angaben zu Ihrer Anmeldung")
    end = body.index("\n", start)
    return body[:start] + OLD_RETENTION_DE + body[end:]


def test_privacy_notice_names_the_emails_after_the_event_and_anonymous_feedback(client, event):
    html = text_of(client, "/datenschutz/")
    assert "nur noch aus diesen Anlässen" in html
    assert "freiwillig und anonym" in html
    english = text_of(client, "/en/datenschutz/")
    assert "only for these reasons" in english
    assert "voluntary and anonymous" in english


def test_reseeding_adds_the_emails_after_the_event_to_the_earlier_privacy_text(event):
    earlier = _before_the_emails_after_the_event()
    assert fingerprint(earlier) in SUPERSEDED_DEFAULTS
    Page.objects.filter(slug=Page.Slug.PRIVACY).update(body_de=earlier)

    seed_pages()

    assert Page.objects.get(slug=Page.Slug.PRIVACY).body_de == PAGES[Page.Slug.PRIVACY].body_de


def test_reseeding_replaces_the_privacy_text_that_promised_a_past_deletion_day(event):
    earlier = _before_the_true_deletion_day()
    assert fingerprint(earlier) in SUPERSEDED_DEFAULTS
    Page.objects.filter(slug=Page.Slug.PRIVACY).update(body_de=earlier)

    seed_pages()

    assert Page.objects.get(slug=Page.Slug.PRIVACY).body_de == PAGES[Page.Slug.PRIVACY].body_de


def test_reseeding_updates_the_privacy_text_an_earlier_version_seeded(event):
    # The first version had neither the email retention period nor the list's recipients.
    earlier = (
        _before_the_true_deletion_day()
        .replace(
            " Die E-Mails, die wir Ihnen schicken, löschen wir {email_retention_days} Tage nach"
            " dem Versand.",
            "",
        )
        .replace(" Diese Liste erhalten die Gäste der Veranstaltung.", "")
    )
    assert fingerprint(earlier) in SUPERSEDED_DEFAULTS
    Page.objects.filter(slug=Page.Slug.PRIVACY).update(body_de=earlier.replace("\n", "\r\n"))

    seed_pages()

    assert Page.objects.get(slug=Page.Slug.PRIVACY).body_de == PAGES[Page.Slug.PRIVACY].body_de


def test_organisers_can_neither_add_nor_delete_the_fixed_pages(admin_client, event):
    page = Page.objects.get(slug=Page.Slug.IMPRINT)

    assert admin_client.get("/admin/programme/page/add/").status_code == 403
    assert admin_client.get(f"/admin/programme/page/{page.pk}/delete/").status_code == 403
