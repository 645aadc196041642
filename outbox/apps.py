from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "outbox"
    label = "mail"
    verbose_name = _("E-Mail-Versand")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from outbox import checks  # noqa: F401 (registers the system checks)
