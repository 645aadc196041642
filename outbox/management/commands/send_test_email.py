from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from outbox import queue_email
from outbox.services import InvalidRecipient


class Command(BaseCommand):
    help = (
        "Queues a test email to the given address; the worker delivers it. "
        "Checks the SMTP settings end to end."
    )

    def add_arguments(self, parser):
        parser.add_argument("recipient")
        parser.add_argument("--language", default="de", choices=["de", "en"])

    def handle(self, *args, recipient, language, **options):
        try:
            with transaction.atomic():
                email = queue_email(
                    to=recipient,
                    template="mail/test",
                    context={"recipient": recipient},
                    language=language,
                )
        except InvalidRecipient as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Queued {email.message_id} for {email.recipient}.")
