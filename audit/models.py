"""One row per change of a record: when, by whom, what changed (old and new values)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actors import ActorKind


class AuditEntryQuerySet(models.QuerySet):
    def about(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class AuditEntry(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("Art des Datensatzes"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("Nummer des Datensatzes"))
    subject = GenericForeignKey("content_type", "object_id")

    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor_kind = models.CharField(_("Wer"), max_length=20, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The staff account's name as it was, kept when the account is deleted later.
    actor_name = models.CharField(_("Name des Benutzerkontos"), max_length=150, blank=True)
    via = models.CharField(_("Über"), max_length=50, blank=True)
    action = models.CharField(_("Vorgang"), max_length=50)
    # {"field": {"old": ..., "new": ...}} with values as JSON (dates as ISO strings).
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)
    note = models.CharField(_("Bemerkung"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Eintrag im Änderungsverlauf")
        verbose_name_plural = _("Änderungsverlauf")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="audit_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_kind__in=["attendee", "organiser", "system"]),
                name="audit_actor_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M:%S})"

    def get_action_display(self) -> str:
        from audit.services import action_label

        return action_label(self.action)

    @property
    def actor_display(self) -> str:
        label = self.get_actor_kind_display()
        if self.actor_kind == ActorKind.ORGANISER and self.actor_name:
            label = f"{label}: {self.actor_name}"
        return label
