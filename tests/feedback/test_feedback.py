"""Feedback: one invitation per checked-in guest, one anonymous answer per invitation,
results for organisers as figures, chart and table, and the free texts as CSV."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import FeedbackAnswer, FeedbackInvitation
from outbox.models import OutgoingEmail

TOKEN_IN_LINK = re.compile(r"/(?:rueckmeldung|feedback)/([0-9a-f]{64})/")


def invitations():
    return OutgoingEmail.objects.filter(template="feedback/invitation").order_by("pk")


def token_of(email: OutgoingEmail) -> str:
    return TOKEN_IN_LINK.search(email.body_text)[1]


def form_path(token: str, language: str = "de") -> str:
    return ("/en/feedback/" if language == "en" else "/rueckmeldung/") + token + "/"


ANSWER = {"overall": "5", "content": "4", "organisation": "4", "venue": "2", "comment": "Gut!"}


@pytest.mark.django_db
def test_invite_asks_each_checked_in_guest_once_in_their_language(
    event, attended, confirmed_registration
):
    attended("gast@example.org")
    attended("guest@example.org", language="en")
    confirmed_registration("absent@example.org")  # not checked in: not asked

    assert services.invite(event=event) == 2
    assert services.invite(event=event) == 0

    sent = {email.recipient: email for email in invitations()}
    assert set(sent) == {"gast@example.org", "guest@example.org"}
    assert sent["gast@example.org"].subject == "Wie war es? Ihre Rückmeldung in zwei Minuten"
    assert sent["guest@example.org"].subject == "How was it? Your feedback in two minutes"
    assert "/en/feedback/" in sent["guest@example.org"].body_text
    assert "/rueckmeldung/" in sent["gast@example.org"].body_text
    # Only the token's hash is stored.
    token = token_of(sent["gast@example.org"])
    assert not FeedbackInvitation.objects.filter(token_hash=token).exists()
    assert FeedbackInvitation.objects.filter(token_hash=services.hash_token(token)).count() == 1


@pytest.mark.django_db
def test_invite_before_the_event_is_over_is_refused(event, attended):
    attended("gast@example.org")
    event.date = timezone.localdate() + datetime.timedelta(days=1)
    event.save()
    with pytest.raises(services.TooEarly):
        services.invite(event=event)
    assert not invitations().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_answer_is_stored_without_any_link_to_the_guest(client, event, attended, language):
    attended("gast@example.org", language=language)
    services.invite(event=event)
    token = token_of(invitations().get())

    page = client.get(form_path(token, language))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    html = page.content.decode()
    assert html.count("<fieldset") == 4 and html.count("<legend>") == 4
    response = client.post(form_path(token, language), ANSWER)

    assert response.status_code == 200
    assert FeedbackInvitation.objects.get().used is True
    answer = FeedbackAnswer.objects.get()
    assert (answer.overall, answer.content, answer.organisation, answer.venue) == (5, 4, 4, 2)
    assert answer.comment == "Gut!"
    assert answer.submitted_on == timezone.localdate()
    # No column of the answer leads to a person, an invitation or an exact time.
    columns = {field.name for field in FeedbackAnswer._meta.concrete_fields}
    assert columns == {
        "id",
        "event",
        "submitted_on",
        "overall",
        "content",
        "organisation",
        "venue",
        "comment",
    }
    assert isinstance(answer.pk, type(FeedbackAnswer().pk))  # random UUID, not a sequence


@pytest.mark.django_db
def test_second_answer_with_the_same_link_is_refused(client, event, attended):
    attended("gast@example.org")
    services.invite(event=event)
    token = token_of(invitations().get())
    assert client.post(form_path(token), ANSWER).status_code == 200

    again = client.post(form_path(token), {**ANSWER, "comment": "Noch einmal"})

    assert again.status_code == 409
    assert "schon eine Rückmeldung abgegeben" in again.content.decode()
    assert FeedbackAnswer.objects.count() == 1
    assert client.get(form_path(token)).status_code == 409


@pytest.mark.django_db
def test_unknown_link_is_a_404_with_a_clear_message(client, event):
    response = client.get(form_path("0" * 64, "en"))
    assert response.status_code == 404
    assert "This feedback link is not valid" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comment": "  "}, "Bitte beantworten Sie mindestens eine Frage"),
        ({"overall": "6"}, "Bitte eine gültige Auswahl treffen"),
        ({"comment": "x" * 3001}, "höchstens 3000 Zeichen"),
    ],
)
def test_bad_answers_are_refused_and_the_link_stays_usable(client, event, attended, data, message):
    attended("gast@example.org")
    services.invite(event=event)
    token = token_of(invitations().get())

    response = client.post(form_path(token), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert FeedbackAnswer.objects.count() == 0
    assert FeedbackInvitation.objects.get().used is False
    assert client.post(form_path(token), {"overall": "3"}).status_code == 200


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_superuser(
        "orga", "orga@example.org", "a-long-password-1"
    )


def answer(event, **ratings):
    return FeedbackAnswer.objects.create(event=event, submitted_on=timezone.localdate(), **ratings)


@pytest.mark.django_db
def test_results_show_averages_distribution_chart_and_table(
    client, event, organiser, django_assert_max_num_queries
):
    answer(event, overall=5, content=4, comment="Sehr gut")
    answer(event, overall=4, content=None, comment='=HYPERLINK("x")')
    answer(event, overall=4, content=2)
    client.force_login(organiser)
    url = reverse("admin:feedback_feedbackanswer_changelist")

    with django_assert_max_num_queries(12):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Durchschnitt 4,3 aus 3 Antworten" in html  # overall: (5 + 4 + 4) / 3
    assert "Durchschnitt 3,0 aus 2 Antworten" in html  # content: one left it out
    table = re.search(r'<table class="feedback-table" id="table-overall">.*?</table>', html, re.S)[
        0
    ]
    rows = re.findall(r'<tr><th scope="row">(\d)</th><td>(\d+)</td><td>(\d+) %</td></tr>', table)
    assert rows == [
        ("1", "0", "0"),
        ("2", "0", "0"),
        ("3", "0", "0"),
        ("4", "2", "67"),
        ("5", "1", "33"),
    ]
    chart = re.search(r'<svg class="feedback-chart".*?</svg>', html, re.S)[0]
    assert "Verteilung der Bewertungen: 1: 0, 2: 0, 3: 0, 4: 2, 5: 1" in chart
    assert re.findall(r'<rect x="40" y="\d+" width="(\d+)"', chart) == ["0", "0", "0", "300", "150"]

    # Many answers: the same number of queries.
    for _ in range(30):
        answer(event, overall=3, venue=1)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_free_texts_download_as_csv_for_excel(client, event, organiser):
    answer(event, overall=5, comment="Sehr gut; gerne wieder")
    answer(event, overall=4, comment='=HYPERLINK("x")')
    answer(event, overall=3)
    client.force_login(organiser)

    response = client.get(reverse("admin:feedback_comments_csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="rueckmeldungen-freitexte-'
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    today = timezone.localdate().isoformat()
    assert rows[0] == ["Tag", "Freitext"]
    assert sorted(rows[1:]) == sorted(
        [[today, "Sehr gut; gerne wieder"], [today, '\'=HYPERLINK("x")']]
    )


@pytest.mark.django_db
def test_results_and_invitations_need_permissions(client, event):
    staff = get_user_model().objects.create_user(
        "staff", password="a-long-password-1", is_staff=True
    )
    client.force_login(staff)
    assert client.get(reverse("admin:feedback_feedbackanswer_changelist")).status_code == 403
    assert client.get(reverse("admin:feedback_comments_csv")).status_code == 403
    assert client.post(reverse("admin:feedback_invite")).status_code == 403


@pytest.mark.django_db
def test_admin_invite_asks_first_then_sends_once(client, event, organiser, attended):
    attended("gast@example.org")
    client.force_login(organiser)
    url = reverse("admin:feedback_invite")

    assert "1 Gast, der am Einlass registriert wurde" in client.get(url).content.decode()
    assert not invitations().exists()
    client.post(url)
    client.post(url)

    assert invitations().count() == 1
    assert "Alle Gäste, die am Einlass registriert wurden, sind schon eingeladen" in (
        client.get(url).content.decode()
    )
