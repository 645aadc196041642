"""The outbox: every email the site sends is a row here before it leaves the machine."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Messages a worker may take now: queued and due, or claimed by a worker whose
        lease ran out (it died or hung mid-send). A sent message never matches."""
        return self.filter(
            Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=OutgoingEmail.Status.SENDING, lease_expires_at__lte=now)
        )

    def failed(self):
        return self.filter(status=OutgoingEmail.Status.FAILED)


class OutgoingEmail(models.Model):
    """One message to one recipient, rendered when it was queued and kept as sent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet auf Versand")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")
        CANCELLED = "cancelled", _("abgebrochen")

    recipient = models.CharField(
        _("Empfangsadresse"),
        max_length=320,
        help_text=_("Adresse, gegebenenfalls mit Namen: „Name &lt;adresse@example.org&gt;“."),
    )
    from_email = models.CharField(_("Absender"), max_length=320)
    reply_to = models.CharField(_("Antwort an"), max_length=320, blank=True)
    language = models.CharField(_("Sprache"), max_length=5, default="de")
    template = models.CharField(
        _("Vorlage"),
        max_length=200,
        blank=True,
        help_text=_("Name der Vorlage unter templates/emails/, leer bei Systemnachrichten."),
    )
    subject = models.CharField(_("Betreff"), max_length=500)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML-Fassung"), blank=True)
    message_id = models.CharField(
        _("Message-ID"),
        max_length=255,
        unique=True,
        help_text=_("Einmal beim Einreihen vergeben und bei jedem Versuch beibehalten."),
    )
    headers = models.JSONField(_("weitere Kopfzeilen"), default=dict, blank=True)

    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    lease_expires_at = models.DateTimeField(
        _("reserviert bis"),
        null=True,
        blank=True,
        help_text=_(
            "Solange ein Versandprozess die Nachricht sendet. Läuft die Frist ab, ohne dass "
            "er sich meldet, übernimmt ein anderer."
        ),
    )
    claim_token = models.UUIDField(_("Reservierungsschlüssel"), null=True, blank=True)
    claimed_by = models.CharField(
        _("Versandprozess"),
        max_length=200,
        blank=True,
        help_text=_("Rechner und Prozessnummer des Versandprozesses, der sie zuletzt übernahm."),
    )
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now, db_index=True)

    # What the message is about (a registration, a speaker, ...), as a generic reference:
    # the outbox serves every app and imports none of their models. The domain models
    # declare the reverse side as a GenericRelation (`registration.emails`).
    about_type = models.ForeignKey(
        ContentType,
        verbose_name=_("betrifft (Art)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_id = models.PositiveBigIntegerField(_("betrifft (Nummer)"), null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    resent_from = models.ForeignKey(
        "self",
        verbose_name=_("erneut gesendet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx"),
            models.Index(fields=["about_type", "about_id"], name="mail_about_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="mail_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_expires_at__isnull=False),
                name="mail_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"

    @property
    def can_be_resent(self) -> bool:
        # A message in a worker's hands may be on the wire right now.
        return self.status != self.Status.SENDING

    @property
    def can_be_cancelled(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.FAILED}


class OutgoingAttachment(models.Model):
    email = models.ForeignKey(
        OutgoingEmail,
        verbose_name=_("E-Mail"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    filename = models.CharField(_("Dateiname"), max_length=255)
    mimetype = models.CharField(_("Dateityp"), max_length=100)
    content = models.BinaryField(_("Inhalt"))

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def size(self) -> int:
        return len(self.content)


class DeliveryAttempt(models.Model):
    """One try to hand a message to the mail server, with what came of it."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("angenommen")
        TEMPORARY_FAILURE = "temporary", _("vorübergehender Fehler, neuer Versuch folgt")
        PERMANENT_FAILURE = "permanent", _("endgültiger Fehler")
        INTERRUPTED = "interrupted", _("abgebrochen, Versandprozess hat sich nicht gemeldet")

    email = models.ForeignKey(
        OutgoingEmail,
        verbose_name=_("E-Mail"),
        on_delete=models.CASCADE,
        related_name="delivery_attempts",
    )
    started_at = models.DateTimeField(_("Beginn"))
    finished_at = models.DateTimeField(_("Ende"))
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices)
    error = models.TextField(_("Fehler"), blank=True)
    worker = models.CharField(_("Versandprozess"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Zustellversuch")
        verbose_name_plural = _("Zustellversuche")
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.started_at:%Y-%m-%d %H:%M:%S})"


class PeriodicJobRun(models.Model):
    """When a periodic job (settings.PERIODIC_JOBS) last ran. Workers take the row lock before
    starting a job, so with several workers a job runs once per interval."""

    name = models.CharField(_("Aufgabe"), max_length=100, unique=True)
    last_started_at = models.DateTimeField(_("zuletzt gestartet"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("zuletzt beendet"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    worker = models.CharField(_("Versandprozess"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wiederkehrende Aufgabe")
        verbose_name_plural = _("wiederkehrende Aufgaben")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
