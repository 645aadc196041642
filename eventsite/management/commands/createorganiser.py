"""`make organiser`: Django's createsuperuser, for an account that can log in at once.

Organisers log in through allauth with their email address, and allauth asks for a
confirmed address (ACCOUNT_EMAIL_VERIFICATION = "mandatory"). An account made with plain
createsuperuser has no confirmed address, so its first login sends a confirmation email
and stops there. Whoever runs this command has the server's shell, which is more than
a confirmation email would prove: the address is recorded as confirmed."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.db.models.signals import post_save


class Command(createsuperuser.Command):
    help = (
        "Create an organiser (superuser) whose email address counts as confirmed, so the "
        "account can log in to /admin/ at once."
    )

    def handle(self, *args, **options):
        user_model = get_user_model()
        new_users = []

        def remember(sender, instance, created, **kwargs):
            if created:
                new_users.append(instance)

        post_save.connect(remember, sender=user_model, weak=False, dispatch_uid="createorganiser")
        try:
            super().handle(*args, **options)
        finally:
            post_save.disconnect(sender=user_model, dispatch_uid="createorganiser")
        for user in new_users:
            if not user.email:
                user.delete()
                raise CommandError(
                    "Organisers log in with their email address: give one (--email)."
                )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            if options["verbosity"] >= 1:
                self.stdout.write(f"{user.email} can log in at /admin/ now.")
