from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Anmeldung")

    def ready(self):
        from reportlab import rl_config

        # reportlab wraps every compressed stream in ASCII85 by default, for channels that
        # were not 8-bit clean; our PDFs are downloads and attachments, where it only adds
        # a quarter to the file (entry list, badges, certificates).
        rl_config.useA85 = 0
