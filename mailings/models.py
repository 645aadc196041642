"""Mailings: one message from the organisers, in German and English, to a chosen group of
registrations. Each recipient is a row, so a registration records which mailings it got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SENT = "sent", _("gesendet")

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Alle Bestätigten")
        WAITING = "waiting", _("Die Warteliste")
        UNCONFIRMED = "unconfirmed", _("Unbestätigte Reservierungen (Adresse noch nicht bestätigt)")
        SELECTION = "selection", _("Auswahl aus der Gästeliste")

    event = models.ForeignKey(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.PROTECT,
        related_name="mailings",
    )
    audience = models.CharField(
        _("Empfänger"), max_length=20, choices=Audience.choices, default=Audience.CONFIRMED
    )
    selection = models.ManyToManyField(
        "registration.Registration",
        verbose_name=_("Ausgewählte Anmeldungen"),
        blank=True,
        related_name="+",
        help_text=_("Nur bei „Auswahl aus der Gästeliste“: über die Aktion der Gästeliste."),
    )
    subject_de = models.CharField(_("Betreff (Deutsch)"), max_length=200)
    body_de = models.TextField(_("Text (Deutsch)"))
    subject_en = models.CharField(_("Betreff (Englisch)"), max_length=200)
    body_en = models.TextField(_("Text (Englisch)"))

    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesendet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Rundschreiben")
        verbose_name_plural = _("Rundschreiben")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="mailing_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.subject_de


class MailingRecipient(models.Model):
    """One registration a mailing went to, with the outbox message (its delivery state)."""

    mailing = models.ForeignKey(
        Mailing,
        verbose_name=_("Rundschreiben"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    registration = models.ForeignKey(
        "registration.Registration",
        verbose_name=_("Anmeldung"),
        on_delete=models.CASCADE,
        related_name="mailings_received",
    )
    email = models.ForeignKey(
        "mail.OutgoingEmail",
        verbose_name=_("E-Mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("Sprache"), max_length=5)
    queued_at = models.DateTimeField(_("eingereiht am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Empfangende Person")
        verbose_name_plural = _("Empfangende")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "registration"], name="mailing_once_per_registration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.registration}"
