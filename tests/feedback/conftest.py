import pytest
from django.contrib.auth import get_user_model

from registration import checkin
from tests.registration.conftest import confirmed_registration, register  # noqa: F401


@pytest.fixture
def door(db):
    return get_user_model().objects.create_user("door", password="a-long-password-1")


@pytest.fixture
def attended(event, confirmed_registration, door):  # noqa: F811
    """A guest the door checked in (the seeded event of 2016 is over)."""

    def make(email, **details):
        registration = confirmed_registration(email, **details)
        checkin.check_in(event=event, registration_id=registration.pk, by=door)
        registration.refresh_from_db()
        return registration

    return make
