"""System checks (`manage.py check`) for settings that would break the delivery guarantees."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_email_settings(app_configs=None, **kwargs):
    problems = []
    if settings.EMAIL_DELIVERY_BACKEND.endswith("OutboxBackend"):
        problems.append(
            checks.Error(
                "EMAIL_DELIVERY_BACKEND is the OutboxBackend: the worker would queue every "
                "message again instead of sending it.",
                hint="Leave EMAIL_DELIVERY_BACKEND unset, or name a backend that sends.",
                id="mail.E001",
            )
        )
    if settings.EMAIL_LEASE_SECONDS < 2 * settings.EMAIL_TIMEOUT:
        problems.append(
            checks.Warning(
                f"EMAIL_LEASE_SECONDS ({settings.EMAIL_LEASE_SECONDS}) is less than twice "
                f"EMAIL_TIMEOUT ({settings.EMAIL_TIMEOUT}): a slow but living worker may lose "
                "its message to another worker, and the message may be sent twice.",
                hint="Raise EMAIL_LEASE_SECONDS (default 300).",
                id="mail.W001",
            )
        )
    return problems
