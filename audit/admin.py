"""The audit trail in the admin: read-only, filterable, and as an inline on any record."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import ACTION_LABELS, action_label


def _field_label(entry: AuditEntry, field: str) -> str:
    model = entry.content_type.model_class()
    try:
        return str(model._meta.get_field(field).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return field


def _value(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return str(_("ja"))
    if value is False:
        return str(_("nein"))
    return str(value)


def changes_html(entry: AuditEntry):
    if not entry.changes:
        return "–"
    return format_html(
        "<ul class='audit-changes'>{}</ul>",
        format_html_join(
            "",
            "<li>{}: {} → {}</li>",
            (
                (_field_label(entry, field), _value(change["old"]), _value(change["new"]))
                for field, change in entry.changes.items()
            ),
        ),
    )


class ActionFilter(admin.SimpleListFilter):
    title = _("Vorgang")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(code, label) for code, label in ACTION_LABELS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ReadOnlyAuditMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Vorgang"))
    def action_display(self, entry):
        return action_label(entry.action)

    @admin.display(description=_("Wer"))
    def actor(self, entry):
        return entry.actor_display

    @admin.display(description=_("Änderungen (alt → neu)"))
    def changes_display(self, entry):
        return changes_html(entry)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAuditMixin, admin.ModelAdmin):
    list_display = ["at", "subject_link", "action_display", "actor", "via", "changes_display"]
    list_filter = ["actor_kind", ActionFilter, "via", "content_type", "at"]
    date_hierarchy = "at"
    search_fields = ["=object_id", "actor_name"]
    search_help_text = _("Nummer des Datensatzes oder Name des Benutzerkontos")
    list_select_related = ["content_type"]
    list_per_page = 100
    fields = [
        "at",
        "content_type",
        "object_id",
        "action_display",
        "actor",
        "via",
        "changes_display",
        "note",
    ]
    readonly_fields = fields

    @admin.display(description=_("Datensatz"))
    def subject_link(self, entry):
        model = entry.content_type.model_class()
        label = f"{model._meta.verbose_name if model else entry.content_type} {entry.object_id}"
        return label


def trail_html(obj, *, limit: int = 200):
    """The history of one record as a table for its change page, newest first. A read-only
    field rather than an inline: an inline would add a formset every admin form must post."""
    entries = list(AuditEntry.objects.about(obj).select_related("content_type")[:limit])
    if not entries:
        return _("Noch keine Einträge.")
    rows = format_html_join(
        "",
        "<tr><td><time datetime='{}'>{}</time></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                entry.at.isoformat(),
                date_format(localtime(entry.at), "SHORT_DATETIME_FORMAT"),
                action_label(entry.action),
                entry.actor_display,
                changes_html(entry),
            )
            for entry in entries
        ),
    )
    return format_html(
        "<table class='audit-trail'><caption>{}</caption><thead><tr><th scope='col'>{}</th>"
        "<th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("Änderungsverlauf, neueste zuerst"),
        _("Zeitpunkt"),
        _("Vorgang"),
        _("Wer"),
        _("Änderungen (alt → neu)"),
        rows,
    )
