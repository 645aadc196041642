"""django-allauth in the site's voice: closed sign-up, emails through the outbox in the
site's own templates (templates/emails/account/), and where people land after login."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

# allauth's message names -> our templates under templates/emails/account/. Every email
# allauth can send in this configuration is listed; anything else is refused loudly
# rather than sent in allauth's informal, plain text default.
ACCOUNT_EMAILS = {
    "account/email/password_reset_key": "account/password_reset_key",
    "account/email/email_confirmation": "account/email_confirmation",
    "account/email/email_confirmation_signup": "account/email_confirmation",
}


class UnknownAccountEmail(LookupError):
    """allauth wanted to send a message the site has no template for."""


class AccountAdapter(DefaultAccountAdapter):
    """Accounts exist for speakers and organisers, who are invited; attendees need none."""

    def is_open_for_signup(self, request):
        return False

    def format_email_subject(self, subject: str) -> str:
        # No "[127.0.0.1:8000]" in front: the sender's name already says who writes.
        return subject

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from outbox import queue_email

        try:
            template = ACCOUNT_EMAILS[template_prefix]
        except KeyError:
            raise UnknownAccountEmail(template_prefix) from None
        user = context.get("user")
        speaker = getattr(user, "speaker", None) if user is not None else None
        queue_email(
            to=email,
            template=template,
            context={
                "user": user,
                "email": email,
                "password_reset_url": context.get("password_reset_url", ""),
                "activate_url": context.get("activate_url", ""),
                "speaker": speaker,
            },
            language=translation.get_language() or settings.LANGUAGE_CODE,
            about=speaker or user,
        )

    def get_client_ip(self, request) -> str:
        # The same client address as the site's other limits (TRUSTED_PROXIES).
        from eventsite.client_address import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def get_login_redirect_url(self, request) -> str:
        user = request.user
        if getattr(user, "speaker", None) is not None:
            return reverse("speakers:portal")
        if user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user) -> str:
        return user.email or super().get_totp_label(user)
