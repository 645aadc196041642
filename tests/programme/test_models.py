import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisDjangoTestCase

from programme.models import Session, Speaker
from tests.conftest import requires_postgresql
from tests.programme.factories import SessionFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db


def test_session_that_ends_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(start=at(11), end=at(10))


def test_session_that_ends_when_it_starts_is_refused_with_a_message():
    session = SessionFactory.build(start=at(11), end=at(11))

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert "muss nach seinem Beginn enden" in str(error.value)


def test_session_slugs_are_unique():
    SessionFactory(slug="podium")

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(slug="podium")


def test_speaker_slugs_are_unique():
    SpeakerFactory(slug="kay-ruge")

    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(slug="kay-ruge")


def test_overlapping_session_in_the_same_location_is_refused_with_a_clear_message():
    SessionFactory(title_de="Grußworte", location_de="Saal", start=at(10), end=at(11))
    clash = SessionFactory.build(location_de="Saal", start=at(10, 30), end=at(11, 30))

    with pytest.raises(ValidationError) as error:
        clash.full_clean()

    message = " ".join(error.value.messages)
    assert "Im Ort „Saal“ findet zu dieser Zeit schon „Grußworte“ statt" in message
    assert "10:00 bis 11:00 Uhr" in message


def test_session_in_another_location_at_the_same_time_is_allowed():
    SessionFactory(location_de="Saal", start=at(10), end=at(11))

    SessionFactory.build(location_de="Foyer", start=at(10), end=at(11)).full_clean()


def test_back_to_back_sessions_in_the_same_location_do_not_overlap():
    SessionFactory(location_de="Saal", start=at(10), end=at(11))

    SessionFactory.build(location_de="Saal", start=at(11), end=at(12)).full_clean()


def test_editing_a_session_does_not_clash_with_itself():
    session = SessionFactory(location_de="Saal", start=at(10), end=at(11))
    session.end = at(11, 15)

    session.full_clean()


def test_sessions_without_location_never_clash():
    SessionFactory(location_de="", start=at(10), end=at(11))

    SessionFactory.build(location_de="", start=at(10), end=at(11)).full_clean()


@requires_postgresql
def test_postgresql_refuses_overlap_even_without_clean():
    SessionFactory(location_de="Saal", start=at(10), end=at(11))

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(location_de="Saal", start=at(10, 59), end=at(12))
    SessionFactory(location_de="Saal", start=at(11), end=at(12))  # back to back is fine
    SessionFactory(location_de="", start=at(10), end=at(11))
    SessionFactory(location_de="", start=at(10), end=at(11))


def test_for_timetable_orders_by_start_time():
    late = SessionFactory(start=at(14), end=at(15))
    early = SessionFactory(start=at(9), end=at(10))
    middle = SessionFactory(start=at(11), end=at(12))

    assert list(Session.objects.for_timetable()) == [early, middle, late]


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Franz-Reinhard Habbel", "FH"),
        ("Klaus Vitt", "KV"),
        ("Madonna", "M"),
        ("N. N.", "NN"),
        ("", "?"),
    ],
)
def test_initials_for_the_placeholder(name, initials):
    assert Speaker(name=name).initials == initials


def test_full_name_and_affiliation():
    speaker = Speaker(
        academic_title="Dr.", name="Kay Ruge", position="Beigeordneter",
        organisation="Deutscher Landkreistag",
    )  # fmt: skip

    assert speaker.full_name == "Dr. Kay Ruge"
    assert speaker.affiliation == "Beigeordneter, Deutscher Landkreistag"
    assert str(speaker) == "Dr. Kay Ruge"


def test_session_duration_in_minutes():
    assert Session(start=at(10), end=at(11, 30)).duration == datetime.timedelta(minutes=90)
    assert Session(start=at(10), end=at(11, 30)).duration_minutes == 90


# Five-minute slots between 08:00 and 12:00; (start slot, length in slots).
slots = st.tuples(st.integers(0, 48), st.integers(1, 12))


class TestOverlapRuleAgainstPlainIntervals(HypothesisDjangoTestCase):
    @settings(max_examples=60, deadline=None)
    @given(first=slots, second=slots, same_location=st.booleans())
    def test_clean_refuses_exactly_the_overlapping_pairs(self, first, second, same_location):
        def interval(slot):
            start = at(8) + datetime.timedelta(minutes=5 * slot[0])
            return start, start + datetime.timedelta(minutes=5 * slot[1])

        (start_a, end_a), (start_b, end_b) = interval(first), interval(second)
        SessionFactory(location_de="Saal", start=start_a, end=end_a)
        candidate = SessionFactory.build(
            location_de="Saal" if same_location else "Foyer", start=start_b, end=end_b
        )
        overlaps = same_location and start_a < end_b and start_b < end_a

        if overlaps:
            with pytest.raises(ValidationError):
                candidate.full_clean()
        else:
            candidate.full_clean()
