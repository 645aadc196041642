from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Registration(models.Model):
    """A person's registration for the event. The registration issue extends this model."""

    class Status(models.TextChoices):
        HELD = "held", _("Platz reserviert, E-Mail-Adresse unbestätigt")
        CONFIRMED = "confirmed", _("Bestätigt")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("Storniert")
        EXPIRED = "expired", _("Reservierung abgelaufen")

    event = models.ForeignKey(
        "programme.Event", verbose_name=_("Veranstaltung"), on_delete=models.PROTECT
    )
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    language = models.CharField(_("Sprache"), max_length=5, default="de")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=models.Q(status__in=["held", "confirmed", "waiting"]),
                name="one_active_registration_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
