from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EventsiteConfig(AppConfig):
    """The project itself as an app: site-wide machinery that serves every app."""

    name = "eventsite"
    verbose_name = "Event site"

    def ready(self):
        from eventsite import pagecache

        # In every process (gunicorn, the worker, manage.py commands), so that any change
        # made anywhere invalidates the cached pages.
        pagecache.connect_signals()
        # Django sends post_migrate once per app with models, and this app has none: the
        # handler listens to all of them and acts on the last one.
        post_migrate.connect(pagecache.after_migrate, dispatch_uid="pagecache-after-migrate")
