"""The programme of 22.09.2016, from ../shared/EVENT.md (sources listed there).

On record are the order of the programme, the people and their roles. NOT on record,
and therefore plausible defaults that organisers correct in the admin:
- every time: the sessions are seeded with time_confirmed=False, and the public
  programme marks their times as "vorläufig" until an organiser ticks the box;
- the breaks (coffee, lunch) and their times;
- room names within the venue ("Saal", "Foyer"): seeded with location_confirmed=False;
- who represented Halle (Saale), Norderstedt, Ibbenbüren and the Heidekreis on the
  podium: listed as "N. N." with their municipality;
- any moderator, and who gives the outlook.
Biographies stay empty: we do not write them for real people.

Loading is idempotent: the programme is created once, when there are no sessions and
no speakers yet; after that `make run` leaves the organisers' edits and deletions alone.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from programme.models import Session, SessionSpeaker, Speaker

DAY = datetime.date(2016, 9, 22)

# Roles and positions exactly as reported; English only where the German is a title
# that has an established English form.
SPEAKERS: list[dict] = [
    {
        "slug": "klaus-vitt",
        "name": "Klaus Vitt",
        "position_de": "Staatssekretär",
        "position_en": "State Secretary",
        "organisation_de": "Bundesministerium des Innern",
        "organisation_en": "Federal Ministry of the Interior",
    },
    {
        "slug": "franz-reinhard-habbel",
        "name": "Franz-Reinhard Habbel",
        "position_de": "Sprecher",
        "position_en": "Spokesperson",
        "organisation_de": "Deutscher Städte- und Gemeindebund",
        "organisation_en": "German Association of Towns and Municipalities",
    },
    {
        "slug": "kay-ruge",
        "academic_title": "Dr.",
        "name": "Kay Ruge",
        "position_de": "Beigeordneter",
        "position_en": "Deputy Director",
        "organisation_de": "Deutscher Landkreistag",
        "organisation_en": "German County Association",
    },
    {
        "slug": "hanna-sommer",
        "academic_title": "Dr.",
        "name": "Hanna Sommer",
        "organisation_de": "Deutscher Städtetag",
        "organisation_en": "Association of German Cities",
    },
    {
        "slug": "juergen-stember",
        "academic_title": "Prof. Dr.",
        "name": "Jürgen Stember",
        "position_de": "Dekan, Fachbereich Verwaltungswissenschaften",
        "position_en": "Dean, Department of Public Administration",
        "organisation_de": "Hochschule Harz",
        "organisation_en": "Harz University of Applied Sciences",
    },
    {
        "slug": "matthias-neutzner",
        "name": "Matthias Neutzner",
        "organisation_de": "Syncwork AG, Dresden",
        "organisation_en": "Syncwork AG, Dresden",
    },
    {
        "slug": "henning-schulz",
        "name": "Henning Schulz",
        "position_de": "Bürgermeister",
        "position_en": "Mayor",
        "organisation_de": "Stadt Gütersloh",
        "organisation_en": "City of Gütersloh",
    },
    {
        "slug": "petra-rothkranz",
        "name": "Petra Rothkranz",
        "organisation_de": "Stadt Düren",
        "organisation_en": "City of Düren",
    },
    {
        "slug": "olaf-neumann",
        "name": "Olaf Neumann",
        "organisation_de": "Ortenaukreis",
        "organisation_en": "Ortenaukreis (district)",
    },
    {
        "slug": "manfred-schnur",
        "name": "Manfred Schnur",
        "position_de": "Landrat",
        "position_en": "District Administrator",
        "organisation_de": "Landkreis Cochem-Zell",
        "organisation_en": "Cochem-Zell district",
    },
    # Representatives not on record: "N. N." (nomen nescio) with their municipality,
    # for organisers to replace with the real name.
    {
        "slug": "nn-halle-saale",
        "name": "N. N.",
        "position_de": "Vertretung der Modellkommune",
        "position_en": "Representative of the model municipality",
        "organisation_de": "Stadt Halle (Saale)",
        "organisation_en": "City of Halle (Saale)",
    },
    {
        "slug": "nn-norderstedt",
        "name": "N. N.",
        "position_de": "Vertretung der Modellkommune",
        "position_en": "Representative of the model municipality",
        "organisation_de": "Stadt Norderstedt",
        "organisation_en": "City of Norderstedt",
    },
    {
        "slug": "nn-ibbenbueren",
        "name": "N. N.",
        "position_de": "Vertretung der Modellkommune",
        "position_en": "Representative of the model municipality",
        "organisation_de": "Bewerbergemeinschaft Ibbenbüren",
        "organisation_en": "Ibbenbüren joint application",
    },
    {
        "slug": "nn-heidekreis",
        "name": "N. N.",
        "position_de": "Vertretung der Modellkommune",
        "position_en": "Representative of the model municipality",
        "organisation_de": "Landkreis Heidekreis",
        "organisation_en": "Heidekreis district",
    },
]

HALL = {"location_de": "Saal", "location_en": "Hall"}
FOYER = {"location_de": "Foyer", "location_en": "Foyer"}

PODIUM = [
    "henning-schulz",
    "petra-rothkranz",
    "nn-halle-saale",
    "nn-norderstedt",
    "nn-ibbenbueren",
    "manfred-schnur",
    "nn-heidekreis",
    "olaf-neumann",
]


def _at(hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(hour, minute)))


# In the order reported. Times: plausible for 10:00–16:00, NOT on record (editable).
SESSIONS: list[dict] = [
    {
        "slug": "begruessung",
        "kind": Session.Kind.WELCOME,
        "start": _at(10, 0),
        "end": _at(10, 20),
        "title_de": "Begrüßung und E-Government-Landschaft des Bundes",
        "title_en": "Welcome and the federal e-government landscape",
        "abstract_de": (
            "Eröffnung durch den Gastgeber: ein Überblick über die E-Government-Landschaft "
            "und die kommenden Vorhaben des Bundesministeriums des Innern."
        ),
        "abstract_en": (
            "Opening by the host: an overview of the e-government landscape and the "
            "Federal Ministry of the Interior's coming projects."
        ),
        **HALL,
        "people": [("klaus-vitt", SessionSpeaker.Role.SPEAKER)],
    },
    {
        "slug": "grussworte",
        "kind": Session.Kind.GREETING,
        "start": _at(10, 20),
        "end": _at(10, 50),
        "title_de": "Grußworte der kommunalen Spitzenverbände",
        "title_en": "Greetings from the municipal umbrella associations",
        "abstract_de": (
            "Die drei kommunalen Spitzenverbände haben das Pilotvorhaben gemeinsam mit dem "
            "Bundesministerium des Innern entworfen."
        ),
        "abstract_en": (
            "The three municipal umbrella associations designed the pilot project together "
            "with the Federal Ministry of the Interior."
        ),
        **HALL,
        "people": [
            ("franz-reinhard-habbel", SessionSpeaker.Role.SPEAKER),
            ("kay-ruge", SessionSpeaker.Role.SPEAKER),
            ("hanna-sommer", SessionSpeaker.Role.SPEAKER),
        ],
    },
    {
        "slug": "ergebnisse-des-pilotvorhabens",
        "kind": Session.Kind.TALK,
        "start": _at(10, 50),
        "end": _at(11, 30),
        "title_de": "Ergebnisse des Pilotvorhabens: der Projektbericht",
        "title_en": "Results of the pilot project: the project report",
        "abstract_de": (
            "Die wissenschaftliche Leitung fasst den Projektbericht zusammen: Was haben die "
            "acht Modellkommunen von 2014 bis 2016 erprobt und erreicht?"
        ),
        "abstract_en": (
            "The scientific lead summarises the project report: what did the eight model "
            "municipalities try out and achieve from 2014 to 2016?"
        ),
        **HALL,
        "people": [("juergen-stember", SessionSpeaker.Role.SPEAKER)],
    },
    {
        "slug": "kaffeepause-vormittag",
        "kind": Session.Kind.BREAK,
        "start": _at(11, 30),
        "end": _at(11, 50),
        "title_de": "Kaffeepause",
        "title_en": "Coffee break",
        **FOYER,
        "people": [],
    },
    {
        "slug": "kochbuch-kommunales-e-government",
        "kind": Session.Kind.PRESENTATION,
        "start": _at(11, 50),
        "end": _at(12, 30),
        "title_de": "„Kochbuch für das kommunale E-Government“",
        "title_en": "“Kochbuch für das kommunale E-Government” (the practical guide)",
        "abstract_de": (
            "Vorstellung des Praxisleitfadens, der wie ein Kochbuch aufgebaut ist: als "
            "Impuls für eine kooperative Verwaltungsentwicklung."
        ),
        "abstract_en": (
            "Presentation of the practical guide, built like a cookbook: an impulse for "
            "cooperative administrative development."
        ),
        **HALL,
        "people": [("matthias-neutzner", SessionSpeaker.Role.SPEAKER)],
    },
    {
        "slug": "mittagspause",
        "kind": Session.Kind.BREAK,
        "start": _at(12, 30),
        "end": _at(13, 30),
        "title_de": "Mittagspause",
        "title_en": "Lunch break",
        **FOYER,
        "people": [],
    },
    {
        "slug": "podiumsdiskussion-modellkommunen",
        "kind": Session.Kind.PANEL,
        "start": _at(13, 30),
        "end": _at(15, 0),
        "title_de": "Podiumsdiskussion: Die Modellkommunen ziehen Bilanz",
        "title_en": "Panel discussion: the model municipalities take stock",
        "abstract_de": (
            "Vertreterinnen und Vertreter aller acht Modellkommunen berichten: die Städte "
            "Düren, Gütersloh, Halle (Saale) und Norderstedt, die Bewerbergemeinschaft "
            "Ibbenbüren sowie die Landkreise Cochem-Zell, Heidekreis und Ortenaukreis."
        ),
        "abstract_en": (
            "Representatives of all eight model municipalities report: the cities of Düren, "
            "Gütersloh, Halle (Saale) and Norderstedt, the Ibbenbüren joint application, and "
            "the districts of Cochem-Zell, Heidekreis and Ortenaukreis."
        ),
        **HALL,
        "people": [(slug, SessionSpeaker.Role.PANELLIST) for slug in PODIUM],
    },
    {
        "slug": "kaffeepause-nachmittag",
        "kind": Session.Kind.BREAK,
        "start": _at(15, 0),
        "end": _at(15, 20),
        "title_de": "Kaffeepause",
        "title_en": "Coffee break",
        **FOYER,
        "people": [],
    },
    {
        "slug": "ausblick",
        "kind": Session.Kind.OUTLOOK,
        "start": _at(15, 20),
        "end": _at(16, 0),
        "title_de": "Ausblick: Wie geht es weiter?",
        "title_en": "Outlook: what comes next?",
        "abstract_de": (
            "Der weitere Weg des E-Governments und Möglichkeiten, das Netzwerk der "
            "Modellkommunen weiter zu nutzen."
        ),
        "abstract_en": (
            "The further path of e-government and ways to keep the network of model "
            "municipalities working."
        ),
        **HALL,
        "people": [],
    },
]


@transaction.atomic
def load_programme() -> bool:
    """Create the programme if there is none yet. Returns whether it was created.

    Once sessions or speakers exist the programme belongs to the organisers: a session
    or speaker they deleted must not come back with the next `make run`."""
    if Session.objects.exists() or Speaker.objects.exists():
        return False
    speakers = {}
    for data in SPEAKERS:
        fields = dict(data)
        speakers[fields["slug"]] = Speaker.objects.create(**fields)
    for data in SESSIONS:
        fields = dict(data)
        people = fields.pop("people")
        session = Session.objects.create(**fields, time_confirmed=False, location_confirmed=False)
        for order, (speaker_slug, role) in enumerate(people, start=1):
            SessionSpeaker.objects.create(
                session=session, speaker=speakers[speaker_slug], role=role, order=order
            )
    return True
