"""The seeded event, from ../shared/EVENT.md (sources listed there).

Loading is idempotent: rows are found by a natural key and only created when missing,
so organisers' later edits in the admin are never overwritten by `make run`.
Times marked EDITABLE are not on record: they are plausible defaults for organisers to fix.
"""

import datetime

from django.db import transaction

from programme.models import Event
from programme.seed_pages import seed_pages

EVENT = {
    "title_de": "Abschlussveranstaltung des Pilotvorhabens „Modellkommune E-Government“",
    "title_en": "Closing event of the pilot project “Modellkommune E-Government”",
    "short_title_de": "E-Government-Modellkommunen – Abschlussveranstaltung",
    "short_title_en": "E-Government model municipalities – closing event",
    "subtitle_de": (
        "Acht Modellkommunen ziehen Bilanz: Was das E-Government-Gesetz in Städten, "
        "Gemeinden und Landkreisen bewirken kann."
    ),
    "subtitle_en": (
        "Eight model municipalities take stock: what the E-Government Act can achieve "
        "in cities, towns and districts."
    ),
    "description_de": (
        "Von 2014 bis 2016 hat das Bundesministerium des Innern im Pilotvorhaben "
        "„Modellkommune E-Government“ gemeinsam mit acht Kommunen erprobt, was das "
        "E-Government-Gesetz des Bundes (in Kraft seit August 2013) auf kommunaler Ebene "
        "leisten kann. Entstanden sind praktische Lösungen, die andere Kommunen übernehmen "
        "können.\n\n"
        "Auf der Abschlussveranstaltung stellen die Beteiligten die Ergebnisse vor: den "
        "Projektbericht der wissenschaftlichen Begleitung und das „Kochbuch für das "
        "kommunale E-Government“, einen Praxisleitfaden. Vertreterinnen und Vertreter "
        "aller acht Modellkommunen ziehen auf dem Podium Bilanz.\n\n"
        "Eingeladen sind Beschäftigte aus Bundes-, Landes- und Kommunalverwaltungen, die "
        "Modellkommunen, Verbände, Wissenschaft und Presse. Die Teilnahme ist nur mit "
        "vorheriger Anmeldung möglich; es gibt {capacity} Plätze."
    ),
    "description_en": (
        "From 2014 to 2016 the Federal Ministry of the Interior worked with eight "
        "municipalities in the pilot project “Modellkommune E-Government” to show what the "
        "federal E-Government Act (in force since August 2013) can achieve at municipal "
        "level. The result is a set of practical solutions that other municipalities can "
        "take over.\n\n"
        "At the closing event the partners present the results: the project report of the "
        "scientific support team and the “Kochbuch für das kommunale E-Government”, a "
        "practical guide. Representatives of all eight model municipalities take stock on "
        "the podium.\n\n"
        "The event is for staff of federal, state and municipal administrations, the model "
        "municipalities, associations, science and the press. Registration in advance is "
        "required; there are {capacity} seats."
    ),
    "hosts_de": (
        "Bundesministerium des Innern (BMI)\nHochschule Harz, Fachbereich Verwaltungswissenschaften"
    ),
    "hosts_en": (
        "Federal Ministry of the Interior (BMI)\n"
        "Harz University of Applied Sciences, Department of Public Administration"
    ),
    "date": datetime.date(2016, 9, 22),
    # EDITABLE: start and end times are not on record.
    "start_time": datetime.time(10, 0),
    "end_time": datetime.time(16, 0),
    "venue_name_de": "Presse- und Besucherzentrum des Bundespresseamts",
    "venue_name_en": "Press and Visitor Centre of the Federal Press Office",
    "venue_street": "Reichstagufer 14",
    "venue_postcode": "10117",
    "venue_city": "Berlin",
    "public_transport_de": (
        "Der nächste Bahnhof ist **Berlin Friedrichstraße** (S-Bahn, U-Bahn-Linie U6, "
        "Regionalverkehr). Von dort sind es wenige Gehminuten zum Reichstagufer."
    ),
    "public_transport_en": (
        "The nearest station is **Berlin Friedrichstraße** (S-Bahn, underground line U6, "
        "regional trains). The Reichstagufer is a few minutes' walk from there."
    ),
    "entry_note_de": (
        "Das Presse- und Besucherzentrum ist ein Gebäude des Bundes. Am Eingang gibt es "
        "eine Einlasskontrolle. **Bitte bringen Sie einen amtlichen Lichtbildausweis mit** "
        "(Personalausweis oder Reisepass) und planen Sie etwas Zeit für den Einlass ein."
    ),
    "entry_note_en": (
        "The Press and Visitor Centre is a federal building with an entry check. **Please "
        "bring an official photo ID** (identity card or passport) and allow some time to "
        "get in."
    ),
    "venue_accessibility_de": (
        "Genaue Angaben zur Barrierefreiheit des Gebäudes liegen uns noch nicht vor. Wenn "
        "Sie Unterstützung brauchen, zum Beispiel einen stufenlosen Zugang, Plätze für "
        "Rollstuhlnutzende oder eine Begleitperson, geben Sie das bitte bei der Anmeldung "
        "an oder schreiben Sie uns. Wir klären es mit dem Haus und antworten Ihnen."
    ),
    "venue_accessibility_en": (
        "We do not yet have detailed information on the accessibility of the building. If "
        "you need support, for example step-free access, wheelchair spaces or a companion, "
        "please tell us when you register or write to us. We will clarify it with the venue "
        "and get back to you."
    ),
    "capacity": 200,
    "contact_email": "veranstaltung@example.org",
}


@transaction.atomic
def load_event() -> tuple[Event, bool]:
    """Create the event and its default pages where missing. Returns (event, created).

    Later seeds (the programme) hook in here, each idempotent on its own."""
    event = Event.objects.current()
    created = event is None
    if created:
        event = Event.objects.create(**EVENT)
    seed_pages()
    return event, created
