from django.core.management import call_command

from programme.models import Event, Page


def test_load_event_twice_changes_and_duplicates_nothing(db):
    call_command("load_event")
    Event.objects.update(capacity=180)  # an organiser's edit

    call_command("load_event")

    assert Event.objects.count() == 1
    assert Page.objects.count() == len(Page.Slug)
    event = Event.objects.get()
    assert event.capacity == 180
    assert event.date.isoformat() == "2016-09-22"
    assert event.venue_street == "Reichstagufer 14"
