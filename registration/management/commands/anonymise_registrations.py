"""Anonymise every registration that is due now (the retention job, run by hand)."""

from django.core.management.base import BaseCommand

from registration import retention


class Command(BaseCommand):
    help = (
        "Anonymise registrations whose retention period has ended and cancelled or lapsed "
        "ones after INACTIVE_DATA_HOURS (the same rule as the periodic job)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what is due; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = retention.due_for_anonymisation().count()
            self.stdout.write(f"{due} registrations are due for anonymisation (dry run).")
            return
        count = retention.anonymise_due()
        self.stdout.write(f"{count} registrations anonymised.")
