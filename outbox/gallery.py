"""The email gallery: every email the site sends, rendered with sample data for staff.

Each app that sends email declares its messages in a module `email_samples.py`, which
the gallery imports on first use (as the admin does with `admin.py`):

    from outbox.gallery import register

    register(
        "registration-confirmed",
        template="registration/confirmed",
        title=_("Anmeldung bestätigt"),
        audience=_("Teilnehmende"),
        sample=lambda language: {"registration": ..., "manage_url": ...},
        attachments=lambda language: [...],   # optional
    )

`sample` builds the template context for one language from unsaved objects: the gallery
never writes to the database. An email that is not rendered from templates/emails/ (a
library's, such as allauth's) passes `render=lambda language: (subject, text, html)`
instead of `template`. A test renders every entry in both languages and checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from outbox.attachments import Attachment

LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class GalleryEmail:
    name: str
    title: str
    audience: str
    template: str = ""
    sample: Callable[[str], dict] | None = None
    attachments: Callable[[str], Sequence[Attachment]] | None = None
    render: Callable[[str], tuple[str, str, str]] | None = None


@dataclass(frozen=True)
class RenderedSample:
    email: GalleryEmail
    language: str
    subject: str
    text: str
    html: str
    attachment_names: list[str] = field(default_factory=list)


_registry: dict[str, GalleryEmail] = {}
_discovered = False


def register(
    name: str,
    *,
    title,
    audience,
    template: str = "",
    sample: Callable[[str], dict] | None = None,
    attachments: Callable[[str], Sequence[Attachment]] | None = None,
    render: Callable[[str], tuple[str, str, str]] | None = None,
) -> GalleryEmail:
    if bool(template) == bool(render):
        raise ValueError("a gallery email needs either a template or a render function")
    entry = GalleryEmail(
        name=name,
        title=title,
        audience=audience,
        template=template,
        sample=sample,
        attachments=attachments,
        render=render,
    )
    _registry[name] = entry
    return entry


def entries() -> list[GalleryEmail]:
    """Every registered email, grouped by audience, in the order they were registered."""
    global _discovered
    if not _discovered:
        autodiscover_modules("email_samples")
        _discovered = True
    audiences: dict[str, list[GalleryEmail]] = {}
    for entry in _registry.values():
        audiences.setdefault(str(entry.audience), []).append(entry)
    return [entry for group in audiences.values() for entry in group]


def get(name: str) -> GalleryEmail | None:
    return {entry.name: entry for entry in entries()}.get(name)


def render_sample(entry: GalleryEmail, language: str) -> RenderedSample:
    from outbox.services import render_email

    with translation.override(language):
        if entry.render is not None:
            subject, text, html = entry.render(language)
        else:
            context = entry.sample(language) if entry.sample else {}
            subject, text, html = render_email(
                template=entry.template, context=context, language=language
            )
        names = [item.filename for item in entry.attachments(language)] if entry.attachments else []
    return RenderedSample(
        email=entry,
        language=language,
        subject=subject,
        text=text,
        html=html,
        attachment_names=names,
    )
