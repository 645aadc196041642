import pytest
from django.core.management import call_command

from programme.models import Session, SessionSpeaker, Speaker
from programme.seed_programme import load_programme

pytestmark = pytest.mark.django_db

NAMED_IN_EVENT_MD = {
    "Klaus Vitt": ("", "Staatssekretär", "Bundesministerium des Innern"),
    "Franz-Reinhard Habbel": ("", "Sprecher", "Deutscher Städte- und Gemeindebund"),
    "Kay Ruge": ("Dr.", "Beigeordneter", "Deutscher Landkreistag"),
    "Hanna Sommer": ("Dr.", "", "Deutscher Städtetag"),
    "Jürgen Stember": (
        "Prof. Dr.", "Dekan, Fachbereich Verwaltungswissenschaften", "Hochschule Harz",
    ),
    "Matthias Neutzner": ("", "", "Syncwork AG, Dresden"),
    "Henning Schulz": ("", "Bürgermeister", "Stadt Gütersloh"),
    "Petra Rothkranz": ("", "", "Stadt Düren"),
    "Olaf Neumann": ("", "", "Ortenaukreis"),
    "Manfred Schnur": ("", "Landrat", "Landkreis Cochem-Zell"),
}  # fmt: skip

MUNICIPALITIES = ["Düren", "Gütersloh", "Halle (Saale)", "Norderstedt", "Ibbenbüren",
                  "Cochem-Zell", "Heidekreis", "Ortenaukreis"]  # fmt: skip


def test_every_person_named_in_the_sources_is_seeded_with_their_role():
    load_programme()

    for name, (title, position, organisation) in NAMED_IN_EVENT_MD.items():
        speaker = Speaker.objects.get(name=name)
        assert (speaker.academic_title, speaker.position_de or "", speaker.organisation_de) == (
            title, position, organisation,
        )  # fmt: skip
        assert speaker.bio_de in ("", None), "no invented biographies"
        assert speaker.session_roles.exists()


def test_all_eight_model_municipalities_are_on_the_podium():
    load_programme()

    panel = Session.objects.get(kind=Session.Kind.PANEL)
    links = list(panel.session_speakers.select_related("speaker"))
    assert len(links) == 8
    assert {link.role for link in links} == {SessionSpeaker.Role.PANELLIST}
    organisations = " ".join(link.speaker.organisation_de for link in links)
    for municipality in MUNICIPALITIES:
        assert municipality in organisations


def test_programme_follows_the_reported_order_with_breaks():
    load_programme()

    kinds = list(Session.objects.for_timetable().values_list("kind", flat=True))
    assert kinds == [
        "welcome", "greeting", "talk", "break", "presentation", "break", "panel", "break",
        "outlook",
    ]  # fmt: skip
    assert not Session.objects.filter(time_confirmed=True).exists(), "times are not on record"


def test_seeded_sessions_pass_validation():
    load_programme()

    for session in Session.objects.all():
        session.full_clean()


def test_load_event_loads_the_programme_once_and_keeps_organiser_edits():
    call_command("load_event")
    counts = (Session.objects.count(), Speaker.objects.count(), SessionSpeaker.objects.count())
    Session.objects.filter(slug="mittagspause").delete()
    Speaker.objects.filter(slug="klaus-vitt").update(bio_de="Von der Person selbst geliefert.")

    call_command("load_event")

    assert Session.objects.count() == counts[0] - 1
    assert Speaker.objects.count() == counts[1]
    assert Speaker.objects.get(slug="klaus-vitt").bio_de == "Von der Person selbst geliefert."


def test_loading_twice_creates_nothing_twice():
    assert load_programme() is True
    counts = (Session.objects.count(), Speaker.objects.count(), SessionSpeaker.objects.count())

    assert load_programme() is False
    assert counts == (
        Session.objects.count(), Speaker.objects.count(), SessionSpeaker.objects.count(),
    )  # fmt: skip
    assert counts == (9, 14, 14)
