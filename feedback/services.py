"""Feedback: inviting the guests who attended, taking each one's answer once, and the
figures for organisers.

The invitation link carries a random token; only its SHA-256 is stored, on the guest's
invitation. Submitting marks that invitation used and stores the answer in the same
transaction, in a table that has no column pointing back (feedback/models.py).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from feedback.models import FeedbackAnswer, FeedbackInvitation, hash_token
from outbox import queue_email
from programme.models import Event
from registration.certificates import event_is_over
from registration.export import neutralise_formula
from registration.models import Registration

# The questions, in the order of the form: (field, question).
QUESTIONS = (
    ("overall", _("Wie zufrieden waren Sie mit der Veranstaltung insgesamt?")),
    ("content", _("Wie nützlich waren die Inhalte für Ihre Arbeit?")),
    (
        "organisation",
        _("Wie zufrieden waren Sie mit Organisation und Ablauf (Anmeldung, Einlass, Zeitplan)?"),
    ),
    (
        "venue",
        _("Wie zufrieden waren Sie mit dem Veranstaltungsort (Erreichbarkeit, Räume)?"),
    ),
)
SCALE = range(1, 6)
MAX_COMMENT_LENGTH = 3000


class FeedbackError(Exception):
    default_message = _("Das hat leider nicht geklappt.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidFeedbackLink(FeedbackError):
    default_message = _(
        "Dieser Link zur Rückmeldung ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig "
        "aus der E-Mail übernommen haben."
    )


class AlreadyAnswered(FeedbackError):
    default_message = _(
        "Mit diesem Link wurde schon eine Rückmeldung abgegeben. Vielen Dank dafür! "
        "Jeder Gast kann einmal antworten."
    )


class TooEarly(FeedbackError):
    default_message = _("Um Rückmeldung bitten können Sie erst, wenn die Veranstaltung vorbei ist.")


def guests_to_invite(event: Event):
    """Guests the door checked in, whose data is still there and who were not asked yet."""
    return Registration.objects.filter(
        event=event,
        status=Registration.Status.CONFIRMED,
        checked_in_at__isnull=False,
        anonymised_at__isnull=True,
        feedback_invitation__isnull=True,
    )


def feedback_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("feedback:form", kwargs={"token": token})


def invite(*, event: Event, now=None) -> int:
    """Email every checked-in guest not asked yet an invitation with a personal link.
    Each guest is asked once, also when organisers start this twice at the same moment:
    the invitation row (unique per registration) and its email commit together, and a
    second insert of the same guest fails. Returns the number of invitations sent."""
    if not event_is_over(event, now):
        raise TooEarly()
    sent = 0
    for registration in guests_to_invite(event).select_related("event"):
        token = secrets.token_hex(32)
        try:
            with transaction.atomic():
                FeedbackInvitation.objects.create(
                    registration=registration, token_hash=hash_token(token)
                )
                queue_email(
                    to=registration.email,
                    template="feedback/invitation",
                    context={
                        "greeting_name": registration.full_name,
                        "event": event,
                        "feedback_url": feedback_url(token, registration.language),
                    },
                    language=registration.language,
                    about=registration,
                )
        except IntegrityError:
            continue  # another organiser's run asked this guest a moment ago
        sent += 1
    return sent


def invitation_for(token: str) -> FeedbackInvitation:
    """The invitation of a link, or InvalidFeedbackLink / AlreadyAnswered."""
    if not token or len(token) > 200:
        raise InvalidFeedbackLink()
    invitation = (
        FeedbackInvitation.objects.filter(token_hash=hash_token(token))
        .select_related("registration__event")
        .first()
    )
    if invitation is None:
        raise InvalidFeedbackLink()
    if invitation.used:
        raise AlreadyAnswered()
    return invitation


def submit(*, token: str, ratings: dict[str, int | None], comment: str) -> None:
    """Store one anonymous answer and use up the link, together. Two submissions of the
    same link at once: the conditional UPDATE lets exactly one through."""
    invitation = invitation_for(token)
    with transaction.atomic():
        claimed = FeedbackInvitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
        if claimed != 1:
            raise AlreadyAnswered()
        FeedbackAnswer.objects.create(
            event=invitation.registration.event,
            # The day only: an exact time could be matched with a guest's page visit.
            submitted_on=timezone.localdate(),
            comment=comment.strip(),
            **{name: ratings.get(name) for name, _question in QUESTIONS},
        )


# --- results for organisers ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class QuestionResult:
    name: str
    question: str
    answered: int
    average: float | None
    counts: tuple[int, ...]  # how many chose 1, 2, 3, 4, 5

    @property
    def bars(self):
        """(value, count, share of the answers in per cent) for the chart and the table."""
        return [
            (value, count, round(100 * count / self.answered) if self.answered else 0)
            for value, count in zip(SCALE, self.counts, strict=True)
        ]


@dataclasses.dataclass(frozen=True)
class Summary:
    invited: int
    answers: int
    comments: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> int:
        return round(100 * self.answers / self.invited) if self.invited else 0


def summary(event: Event) -> Summary:
    """Every figure of the results page, in two queries."""
    aggregates = {"answers": Count("pk"), "comments": Count("pk", filter=~Q(comment=""))}
    for name, _question in QUESTIONS:
        aggregates[f"{name}__answered"] = Count(name)
        aggregates[f"{name}__average"] = Avg(name)
        for value in SCALE:
            aggregates[f"{name}__{value}"] = Count("pk", filter=Q(**{name: value}))
    figures = FeedbackAnswer.objects.filter(event=event).aggregate(**aggregates)
    return Summary(
        invited=FeedbackInvitation.objects.filter(registration__event=event).count(),
        answers=figures["answers"],
        comments=figures["comments"],
        questions=[
            QuestionResult(
                name=name,
                question=str(question),
                answered=figures[f"{name}__answered"],
                average=figures[f"{name}__average"],
                counts=tuple(figures[f"{name}__{value}"] for value in SCALE),
            )
            for name, question in QUESTIONS
        ],
    )


def comments_csv(event: Event) -> bytes:
    """The free texts for a spreadsheet (Excel in German: BOM, semicolons, no formulas),
    with the day only, in random order (an answer's key is random)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(_("Tag")), str(_("Freitext"))])
    answers = (
        FeedbackAnswer.objects.filter(event=event)
        .exclude(comment="")
        .order_by("submitted_on", "pk")
        .values_list("submitted_on", "comment")
    )
    for day, comment in answers:
        writer.writerow([day.isoformat(), neutralise_formula(comment)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
