"""Test data must not depend on how many tests ran before: factory sequences start at 0
in every test (tests/conftest.py). The two tests below run in this order; without the
reset, the second would see sessions on 23 September."""

import datetime

from django.utils import timezone

from tests.programme.factories import SessionFactory


def test_many_sessions_in_one_test_use_up_the_day(db):
    sessions = SessionFactory.create_batch(100)

    assert timezone.localtime(sessions[-1].start).date() == datetime.date(2016, 9, 23)


def test_the_next_test_starts_again_at_eight_on_the_event_day(db):
    session = SessionFactory()

    start = timezone.localtime(session.start)
    assert (start.date(), start.time()) == (datetime.date(2016, 9, 22), datetime.time(8, 0))
    assert session.slug == "programmpunkt-0"
