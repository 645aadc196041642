"""The feedback results for organisers: a summary page instead of a list of answers
(one answer on its own says little and is closer to a person), the free texts as CSV,
and the step that invites the guests."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods

from feedback import services
from feedback.models import FeedbackAnswer
from programme.models import Event

BAR_WIDTH = 300  # the chart's longest bar, in SVG units


@admin.register(FeedbackAnswer)
class FeedbackAnswerAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("csv/", wrap(self.comments_csv_view), name="feedback_comments_csv"),
            path("einladen/", wrap(self.invite_view), name="feedback_invite"),
            *super().get_urls(),
        ]

    def _event(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return Event.objects.current()

    def changelist_view(self, request, extra_context=None):
        event = self._event(request)
        summary = services.summary(event) if event else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Rückmeldungen der Gäste"),
            "event": event,
            "summary": summary,
            "charts": _charts(summary) if summary else [],
            "to_invite": services.guests_to_invite(event).count() if event else 0,
            "event_is_over": bool(event) and services.event_is_over(event),
            "can_invite": request.user.has_perm("feedback.add_feedbackinvitation"),
        }
        return TemplateResponse(request, "admin/feedback/summary.html", context)

    def comments_csv_view(self, request):
        event = self._event(request)
        if event is None:
            raise PermissionDenied
        response = HttpResponse(
            services.comments_csv(event), content_type="text/csv; charset=utf-8"
        )
        name = pgettext("file name", "rueckmeldungen-freitexte-%(date)s.csv") % {
            "date": timezone.localdate().isoformat()
        }
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def invite_view(request):
        return _invite(request)


@require_http_methods(["GET", "POST"])
def _invite(request):
    """GET asks, POST sends: a second click sends nobody a second invitation."""
    if not request.user.has_perm("feedback.add_feedbackinvitation"):
        raise PermissionDenied
    event = Event.objects.current()
    if request.method == "POST" and event is not None:
        try:
            sent = services.invite(event=event)
        except services.FeedbackError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d Gast wurde um Rückmeldung gebeten.",
                    "%(count)d Gäste wurden um Rückmeldung gebeten.",
                    sent,
                )
                % {"count": sent},
            )
        return redirect("admin:feedback_feedbackanswer_changelist")
    context = {
        **admin.site.each_context(request),
        "opts": FeedbackAnswer._meta,
        "title": _("Gäste um Rückmeldung bitten"),
        "to_invite": services.guests_to_invite(event).count() if event else 0,
        "event_is_over": bool(event) and services.event_is_over(event),
    }
    return TemplateResponse(request, "admin/feedback/invite.html", context)


def _charts(summary: services.Summary) -> list[dict]:
    """Bar lengths for the server-made SVG chart of each question (no JavaScript)."""
    charts = []
    for result in summary.questions:
        most = max(result.counts) or 1
        charts.append(
            {
                "result": result,
                "bars": [
                    {
                        "value": value,
                        "count": count,
                        "share": share,
                        "y": (value - 1) * 28,
                        "text_y": (value - 1) * 28 + 17,
                        "width": round(BAR_WIDTH * count / most),
                        "label_x": 40 + round(BAR_WIDTH * count / most) + 8,
                    }
                    for value, count, share in result.bars
                ],
            }
        )
    return charts
