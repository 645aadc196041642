"""One definition per rule: the waiting-list place, "may take a seat", "address already taken",
the window state and the refusals' HTTP status."""

import datetime

import pytest
from django.utils import timezone

from registration import export, services, views
from registration.models import Registration, RegistrationSettings, WindowState
from tests.registration.conftest import VALID

Status = Registration.Status


@pytest.fixture
def full_event(event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    return event


@pytest.fixture
def waiting_list(full_event, confirmed_registration):
    confirmed_registration("seat@example.org")
    return [confirmed_registration(f"wait{i}@example.org") for i in range(3)]


@pytest.mark.django_db
class TestWaitingPlace:
    def test_annotation_numbers_the_waiting_list_in_order_and_nobody_else(self, waiting_list):
        places = dict(
            Registration.objects.with_waiting_place().values_list("email", "waiting_place")
        )

        assert places == {
            "seat@example.org": None,
            "wait0@example.org": 1,
            "wait1@example.org": 2,
            "wait2@example.org": 3,
        }

    def test_place_moves_up_when_someone_ahead_leaves(self, waiting_list):
        services.leave_waiting_list(registration=waiting_list[0])

        assert [r.waiting_position() for r in waiting_list] == [None, 1, 2]

    def test_model_reads_the_annotation_without_a_query(
        self, waiting_list, django_assert_num_queries
    ):
        annotated = Registration.objects.with_waiting_place().get(pk=waiting_list[2].pk)

        with django_assert_num_queries(0):
            assert annotated.waiting_position() == 3

    def test_export_uses_the_same_place_as_the_model(self, waiting_list, django_assert_num_queries):
        rows = list(Registration.objects.with_waiting_place().order_by("pk"))

        with django_assert_num_queries(0):
            csv_text = export.guest_list_csv(rows).decode("utf-8-sig")

        lines = csv_text.splitlines()
        place_column = lines[0].split(";").index("Platz auf der Warteliste")
        assert [line.split(";")[place_column] for line in lines[1:]] == ["", "1", "2", "3"]


@pytest.mark.django_db
class TestMayTakeSeat:
    def test_free_seat_goes_to_the_waiting_list_before_a_newcomer(
        self, full_event, register, waiting_list
    ):
        full_event.capacity = 2
        full_event.save(update_fields=["capacity"])  # a seat frees without moving the list up

        outcome = services.submit_registration(
            event=full_event, data={**VALID, "email": "new@example.org"}, language="de"
        )

        assert outcome.kind == services.SubmissionKind.UNCONFIRMED
        confirmed = services.confirm_email(token=outcome.registration.confirm_token())
        assert confirmed.status == Status.WAITING

    def test_submission_kinds(self, event, register):
        first = services.submit_registration(event=event, data=VALID, language="de")
        again = services.submit_registration(event=event, data=VALID, language="de")

        assert first.kind == services.SubmissionKind.HELD == "held"
        assert again.kind == services.SubmissionKind.ALREADY_REGISTERED
        assert again.registration == first.registration


@pytest.mark.django_db
class TestAddressTaken:
    def test_organiser_change_to_a_taken_address_is_refused(self, event, register):
        register("one@example.org")
        other = register("two@example.org")

        with pytest.raises(services.AddressTaken) as refused:
            services.change_details_by_organiser(
                registration=other, data={"email": "ONE@example.org"}
            )

        assert str(refused.value.message) == (
            "Mit dieser E-Mail-Adresse besteht bereits eine andere Anmeldung."
        )
        other.refresh_from_db()
        assert other.email == "two@example.org"

    def test_email_change_link_to_an_address_taken_meanwhile_is_refused(
        self, event, register, confirmed_registration
    ):
        person = confirmed_registration("person@example.org")
        services.request_email_change(registration=person, new_email="later@example.org")
        person.refresh_from_db()
        register("later@example.org")

        with pytest.raises(services.AddressTaken):
            services.confirm_email_change(token=person.email_change_token())

        person.refresh_from_db()
        assert person.email == "person@example.org"

    def test_own_address_is_not_taken(self, event, register):
        person = register("person@example.org")

        services.ensure_address_free(registration=person, email="Person@Example.org")


@pytest.mark.django_db
class TestWindowState:
    def test_state_is_a_choice_with_a_translated_label(self, event):
        window = RegistrationSettings.for_event(event)
        window.opens_at = timezone.now() + datetime.timedelta(days=1)
        window.save()

        state = window.state()

        assert state is WindowState.NOT_YET_OPEN
        assert str(state.label) == "noch nicht geöffnet"
        seats = services.seat_status(event)
        assert (seats.is_open, seats.opens_later) == (False, True)


class TestRefusalStatus:
    def test_domain_exceptions_carry_no_http_status(self):
        for error in (services.RegistrationClosed(), services.AddressTaken()):
            assert not hasattr(error, "status_code")

    @pytest.mark.parametrize(
        ("error", "status"),
        [
            (services.RegistrationClosed(), 403),
            (services.RateLimited(), 429),
            (services.InvalidLink(), 404),
            (services.LinkExpired(), 410),
            (services.NotPossible(), 409),
            (services.AddressTaken(), 409),
            (services.NoSeatFree(), 409),
            (services.RegistrationError(), 400),
        ],
    )
    def test_views_map_each_refusal_to_its_status(self, error, status):
        assert views.status_of(error) == status
