"""Attendance certificates (Teilnahmebescheinigung) for guests who were checked in.

Public servants file them with their training records. A certificate exists once the
event is over, the guest was checked in at the door and the organisers issued it (in bulk
from the guest list); organisers can withhold it again. The guest downloads it from the
self-service page and gets the link by email once.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import audit
from audit import Actor
from eventsite.markup import quoted
from registration import emails
from registration.models import Registration

FONTS = Path(__file__).resolve().parent.parent / "programme" / "fonts"
Certificate = Registration.Certificate


class CertificateNotAvailable(Exception):
    default_message = gettext_lazy("Für diese Anmeldung gibt es keine Teilnahmebescheinigung.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


def event_is_over(event, now=None) -> bool:
    return (now or timezone.now()) >= event.ends_at


def eligible(registration: Registration) -> bool:
    """Checked in at the door, and the event is over."""
    return (
        registration.status == Registration.Status.CONFIRMED
        and registration.checked_in_at is not None
        and event_is_over(registration.event)
    )


def available(registration: Registration) -> bool:
    return eligible(registration) and registration.certificate == Certificate.ISSUED


def issue(*, registrations, actor: Actor | None = None) -> tuple[int, int]:
    """Issue the certificates of the given registrations that attended; each guest gets
    the link by email once (even if issued, withheld and issued again). Returns (issued,
    skipped because not checked in or the event is not over). Each change is recorded in
    the guest's audit trail, with the organiser who made it."""
    actor = actor or Actor.system("certificates")
    issued = skipped = 0
    for registration in registrations.select_related("event"):
        if not eligible(registration):
            skipped += 1
            continue
        before = registration.certificate
        with transaction.atomic():
            changed = (
                Registration.objects.filter(pk=registration.pk)
                .exclude(certificate=Certificate.ISSUED)
                .update(certificate=Certificate.ISSUED)
            )
            first_time = (
                Registration.objects.filter(
                    pk=registration.pk, certificate_sent_at__isnull=True
                ).update(certificate_sent_at=timezone.now())
                == 1
            )
            if first_time:
                registration.refresh_from_db()
                emails.certificate_ready(registration)
            if changed:
                audit.record(
                    registration,
                    actor=actor,
                    action="certificate_issued",
                    changes={"certificate": (before, Certificate.ISSUED)},
                )
        issued += 1
    return issued, skipped


def withhold(*, registrations, actor: Actor | None = None) -> int:
    """Withhold the certificates of the given registrations (the guest can no longer
    download it). Returns how many were selected; each change is audited."""
    actor = actor or Actor.system("certificates")
    # By primary key: the admin's queryset may join or be distinct, which FOR UPDATE refuses.
    selected = Registration.objects.filter(pk__in=list(registrations.values_list("pk", flat=True)))
    with transaction.atomic():
        changing = list(
            selected.exclude(certificate=Certificate.WITHHELD).select_for_update().order_by("pk")
        )
        count = selected.update(certificate=Certificate.WITHHELD)
        for registration in changing:
            audit.record(
                registration,
                actor=actor,
                action="certificate_withheld",
                changes={"certificate": (registration.certificate, Certificate.WITHHELD)},
            )
    return count


def filename(registration: Registration) -> str:
    with translation.override(registration.language):
        return pgettext("file name", "teilnahmebescheinigung.pdf")


def _font(name: str, file: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    return name


def _wrapped(pdf, text: str, *, x: float, y: float, width: float, font: str, size: float):
    """Draw text wrapped to width; returns the y below it."""
    words, line = text.split(), ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) > width and line:
            pdf.setFont(font, size)
            pdf.drawCentredString(x, y, line)
            y -= size * 1.45
            line = word
        else:
            line = candidate
    if line:
        pdf.setFont(font, size)
        pdf.drawCentredString(x, y, line)
        y -= size * 1.45
    return y


def pdf(registration: Registration) -> bytes:
    """The certificate as a one-page A4 PDF in the guest's language."""
    if not available(registration):
        raise CertificateNotAvailable()
    event = registration.event
    regular = _font("DejaVuSans", "DejaVuSans.ttf")
    bold = _font("DejaVuSans-Bold", "DejaVuSans-Bold.ttf")
    buffer = io.BytesIO()
    with translation.override(registration.language):
        title = _("Teilnahmebescheinigung")
        pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, lang=registration.language)
        pdf.setTitle(f"{title} – {registration.full_name}")
        pdf.setAuthor(", ".join(event.host_list))
        pdf.setSubject(str(event.title))
        width, height = A4
        centre, text_width = width / 2, width - 50 * mm
        pdf.setStrokeColorRGB(0.04, 0.29, 0.47)
        pdf.setLineWidth(2)
        pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
        y = height - 50 * mm
        y = _wrapped(pdf, title, x=centre, y=y, width=text_width, font=bold, size=26) - 12 * mm
        y = (
            _wrapped(
                pdf,
                _("Hiermit wird bescheinigt, dass"),
                x=centre,
                y=y,
                width=text_width,
                font=regular,
                size=13,
            )
            - 4 * mm
        )
        y = _wrapped(
            pdf, registration.full_name, x=centre, y=y, width=text_width, font=bold, size=20
        )
        if registration.organisation:
            y = _wrapped(
                pdf,
                registration.organisation,
                x=centre,
                y=y,
                width=text_width,
                font=regular,
                size=13,
            )
        y -= 6 * mm
        hours = (event.ends_at - event.starts_at).total_seconds() / 3600
        hours_text = formats.number_format(
            round(hours, 1), decimal_pos=0 if hours.is_integer() else 1
        )
        date = formats.date_format(event.date, _("l, j. F Y"))
        sentence = _(
            "am %(date)s von %(start)s bis %(end)s Uhr (%(hours)s Zeitstunden) an der "
            "Veranstaltung %(title)s teilgenommen hat."
        ) % {
            "date": date,
            "start": formats.time_format(event.start_time, "H:i"),
            "end": formats.time_format(event.end_time, "H:i"),
            "hours": hours_text,
            "title": quoted(event.title, registration.language),
        }
        y = _wrapped(pdf, sentence, x=centre, y=y, width=text_width, font=regular, size=13)
        y -= 4 * mm
        y = _wrapped(
            pdf,
            f"{event.venue_name}, {event.venue_address}",
            x=centre,
            y=y,
            width=text_width,
            font=regular,
            size=11,
        )
        y -= 14 * mm
        y = _wrapped(pdf, _("Veranstalter"), x=centre, y=y, width=text_width, font=bold, size=12)
        for host in event.host_list:
            y = _wrapped(pdf, host, x=centre, y=y, width=text_width, font=regular, size=12)
        pdf.setFont(regular, 9)
        pdf.drawCentredString(
            centre,
            25 * mm,
            _("Einlasscode %(code)s · ausgestellt am %(date)s")
            % {
                "code": registration.entry_code_display,
                "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
            },
        )
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
