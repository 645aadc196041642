"""Publishing the documentation and telling the guests, once per publication.

`publish()` makes drafts public with one conditional UPDATE per document (published_at
IS NULL), so of two organisers publishing the same draft at once only one publishes it.
If anything was newly published and the organiser asked for it, a `Publication` records
the step and every confirmed guest gets one email about it: a `PublicationNotice` row,
unique per guest and publication, is inserted in the transaction that queues the email.
Publishing further documents later is a new publication (and a new email only if the
organiser asks for one); publishing what is public already sends nothing.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from documentation.models import Document, Publication, PublicationNotice
from eventsite.pdf_uploads import PdfRejected, count_pdf_pages
from outbox import queue_email
from programme.models import Event
from registration.models import Registration


class DocumentationError(Exception):
    def __init__(self, message, *, code: str = ""):
        self.message = message
        self.code = code
        super().__init__(str(message))


def max_upload_bytes() -> int:
    return settings.DOCUMENTATION_MAX_UPLOAD_MB * 1024 * 1024


def check_pdf(upload) -> int:
    """The number of pages of a readable, unencrypted PDF within the size limit. Only PDF
    is accepted: it opens everywhere, and a file that only claims to be one is refused by
    parsing it, not by its name or the browser's word."""
    try:
        return count_pdf_pages(upload, limit_bytes=max_upload_bytes())
    except PdfRejected as rejected:
        messages = {
            "too_large": _(
                "Die Datei ist größer als %(megabytes)d MB. Bitte laden Sie eine kleinere "
                "PDF-Datei hoch."
            )
            % {"megabytes": settings.DOCUMENTATION_MAX_UPLOAD_MB},
            "not_a_pdf": _(
                "Die Datei ist keine lesbare PDF-Datei. Bitte laden Sie eine PDF-Datei hoch."
            ),
            "encrypted": _(
                "Die PDF-Datei ist verschlüsselt. Bitte laden Sie sie ohne Passwort hoch."
            ),
        }
        raise DocumentationError(messages[rejected.reason], code=rejected.reason) from None


@dataclasses.dataclass(frozen=True)
class PublishOutcome:
    published: list[Document]
    notified: int


def guests_to_notify(event: Event):
    """Every confirmed guest, checked in or not: those who could not come need the
    material most."""
    return Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED, anonymised_at__isnull=True
    )


def documentation_url(language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("documentation:index")


def publish(*, documents, by=None, notify: bool) -> PublishOutcome:
    """Publish the drafts among `documents`; with notify, tell every confirmed guest about
    them in one email. All in one transaction: a failure leaves everything as it was."""
    now = timezone.now()
    notified = 0
    with transaction.atomic():
        published = []
        for document in documents.select_related("event", "session"):
            if Document.objects.filter(pk=document.pk, published_at__isnull=True).update(
                published_at=now
            ):
                # Saved once more so that post_save tells the page cache.
                document.published_at = now
                document.save(update_fields=["published_at"])
                published.append(document)
        if published and notify:
            by_event: dict[int, list[Document]] = {}
            for document in published:
                by_event.setdefault(document.event_id, []).append(document)
            for items in by_event.values():
                notified += announce(event=items[0].event, documents=items, by=by)
    return PublishOutcome(published=published, notified=notified)


def announce(*, event: Event, documents: list[Document], by=None) -> int:
    """One email per confirmed guest about these newly published documents."""
    publication = Publication.objects.create(event=event, published_by=by)
    publication.documents.set(documents)
    sent = 0
    for registration in guests_to_notify(event):
        try:
            with transaction.atomic():
                PublicationNotice.objects.create(publication=publication, registration=registration)
                with translation.override(registration.language):
                    titles = [str(document.title) for document in documents]
                queue_email(
                    to=registration.email,
                    template="documentation/published",
                    context={
                        "greeting_name": registration.full_name,
                        "event": event,
                        "titles": titles,
                        "documentation_url": documentation_url(registration.language),
                    },
                    language=registration.language,
                    about=registration,
                )
        except IntegrityError:
            continue
        sent += 1
    return sent


def unpublish(*, documents) -> int:
    withdrawn = 0
    with transaction.atomic():
        for document in documents.filter(published_at__isnull=False):
            document.published_at = None
            document.save(update_fields=["published_at"])  # post_save: the page cache
            withdrawn += 1
    return withdrawn
