"""STAFF_REQUIRE_2FA: staff set up two-factor authentication before the admin opens."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def has_two_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.STAFF_REQUIRE_2FA:
            return None
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        if match is None or match.app_name != "admin" or has_two_factor(user):
            return None
        messages.warning(
            request,
            _(
                "Für die Verwaltung ist die Zwei-Faktor-Anmeldung vorgeschrieben. Bitte "
                "richten Sie zuerst eine Authenticator-App ein."
            ),
        )
        return redirect("mfa_activate_totp")
