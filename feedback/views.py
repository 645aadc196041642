"""The anonymous feedback form behind the personal link of the invitation."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from feedback import services
from feedback.forms import FeedbackForm
from registration.views import private_page

STATUS_OF_REFUSAL = {services.InvalidFeedbackLink: 404, services.AlreadyAnswered: 409}


def _problem(request, error: services.FeedbackError):
    return render(
        request,
        "feedback/problem.html",
        {"message": error.message},
        status=STATUS_OF_REFUSAL.get(type(error), 400),
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request, token: str):
    try:
        invitation = services.invitation_for(token)
    except services.FeedbackError as error:
        return _problem(request, error)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(token=token, ratings=form.ratings, comment=form.cleaned_data["comment"])
        except services.FeedbackError as error:
            return _problem(request, error)
        return render(request, "feedback/thanks.html", {"event": invitation.registration.event})
    return render(
        request,
        "feedback/form.html",
        {"form": form, "event": invitation.registration.event, "token": token},
        status=400 if form.is_bound else 200,
    )
