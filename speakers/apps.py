from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """The shared cache (rate limits, used one-time codes) is a database table. migrate
    creates it, so `make run`, a deployment and the tests all have it without a step
    of their own. createcachetable skips a table that exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class SpeakersConfig(AppConfig):
    name = "speakers"
    verbose_name = _("Referierende: Zugang und Auftritt")

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self)
