from django.core.management.base import BaseCommand

from programme.seed import load_event
from programme.seed_programme import load_programme


class Command(BaseCommand):
    help = "Load the event, its programme and default page texts (idempotent)."

    def handle(self, *args, **options):
        event, created = load_event()
        verb = "Loaded" if created else "Already present, left unchanged:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {event}"))
        if load_programme():
            self.stdout.write(self.style.SUCCESS("Loaded the programme (times are provisional)."))
        else:
            self.stdout.write("Programme already present, left unchanged.")
