import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from registration import services
from registration.models import (
    ENTRY_CODE_ALPHABET,
    Registration,
    RegistrationSettings,
    normalise_entry_code,
)
from tests.registration.conftest import VALID, templates_of

Status = Registration.Status


def fill_seats(event, confirmed_registration, count, prefix="guest"):
    return [confirmed_registration(f"{prefix}{i}@example.org") for i in range(count)]


def assert_seat_invariant(event):
    event.refresh_from_db()
    now = timezone.now()
    regs = Registration.objects.filter(event=event)
    taken = regs.filter(status=Status.CONFIRMED).count() + regs.live_holds(now).count()
    assert taken <= event.capacity


@pytest.mark.django_db
class TestSubmission:
    def test_submit_with_free_seat_holds_a_seat_until_confirmed(self, event, register, queued):
        registration = register("erika@example.org")

        assert registration.status == Status.HELD
        expected = timezone.now() + datetime.timedelta(hours=24)
        assert abs(registration.hold_expires_at - expected) < datetime.timedelta(seconds=5)
        assert templates_of(queued) == ["confirm_address"]
        assert queued[0]["to"] == "erika@example.org"
        assert queued[0]["context"]["holds_seat"] is True
        assert services.seat_status(event).held == 1

    def test_submit_stores_consent_version_and_time(self, event, register):
        registration = register("erika@example.org")

        assert registration.privacy_consent_version
        assert registration.privacy_consented_at is not None
        assert registration.participant_list_consent is False

    def test_hold_duration_follows_setting(self, event, register, settings):
        settings.REGISTRATION_HOLD_HOURS = 2
        registration = register("erika@example.org")

        expected = timezone.now() + datetime.timedelta(hours=2)
        assert abs(registration.hold_expires_at - expected) < datetime.timedelta(seconds=5)

    def test_register_when_full_waits_for_confirmation_then_joins_waiting_list(
        self, event, register, confirmed_registration, queued
    ):
        services.set_capacity(event=event, capacity=1)
        confirmed_registration("first@example.org")

        late = register("late@example.org")
        assert late.status == Status.UNCONFIRMED
        assert queued[-1]["context"]["holds_seat"] is False

        late = services.confirm_email(token=late.confirm_token())
        assert late.status == Status.WAITING
        assert late.waiting_position() == 1
        assert templates_of(queued)[-1] == "waitlisted"
        assert queued[-1]["context"]["position"] == 1

    def test_same_address_in_other_case_gets_link_again_not_second_registration(
        self, event, register, confirmed_registration, queued
    ):
        confirmed_registration("Erika@Example.org")
        outcome = services.submit_registration(
            event=event, data={**VALID, "email": "erika@EXAMPLE.org"}, language="de"
        )

        assert outcome.kind == "already_registered"
        assert Registration.objects.count() == 1
        assert templates_of(queued)[-1] == "your_link"

    def test_same_address_while_unconfirmed_gets_confirmation_again(self, event, register, queued):
        first = register("erika@example.org")
        outcome = services.submit_registration(
            event=event, data={**VALID, "email": "erika@example.org"}, language="de"
        )

        assert outcome.registration == first
        assert templates_of(queued) == ["confirm_address", "confirm_address"]
        assert queued[0]["context"]["confirm_url"] == queued[1]["context"]["confirm_url"]

    def test_database_refuses_second_active_registration_per_address(self, event, register):
        register("erika@example.org")
        duplicate = Registration(
            event=event,
            email="ERIKA@example.org",
            status=Status.CONFIRMED,
            confirmed_at=timezone.now(),
            email_confirmed_at=timezone.now(),
            privacy_consent_version="x",
            privacy_consented_at=timezone.now(),
            first_name="E",
            last_name="M",
            organisation="O",
            category="other",
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()

    def test_cancelled_address_may_register_again(self, event, confirmed_registration, register):
        services.cancel(registration=confirmed_registration("erika@example.org"))

        again = register("erika@example.org")

        assert again.status == Status.HELD
        assert Registration.objects.filter(email="erika@example.org").count() == 2

    def test_closed_window_accepts_nothing(self, event, register):
        window = RegistrationSettings.for_event(event)
        window.closed_manually = True
        window.save()

        with pytest.raises(services.RegistrationClosed):
            register("erika@example.org")
        assert Registration.objects.count() == 0

    def test_window_not_yet_open_and_after_close(self, event, register):
        window = RegistrationSettings.for_event(event)
        window.opens_at = timezone.now() + datetime.timedelta(days=1)
        window.save()
        assert window.state() == "not_yet_open"
        with pytest.raises(services.RegistrationClosed):
            register("a@example.org")

        window.opens_at = timezone.now() - datetime.timedelta(days=2)
        window.closes_at = timezone.now() - datetime.timedelta(days=1)
        window.save()
        assert window.state() == "closed"
        with pytest.raises(services.RegistrationClosed):
            register("a@example.org")

    def test_rate_limit_per_address(self, event, register):
        for _ in range(services.RATE_LIMIT_PER_EMAIL):
            register("erika@example.org")
        with pytest.raises(services.RateLimited):
            register("erika@example.org")

    def test_rate_limit_per_ip(self, event, monkeypatch):
        monkeypatch.setattr(services, "RATE_LIMIT_PER_IP", 2)
        for i in range(2):
            services.submit_registration(
                event=event,
                data={**VALID, "email": f"p{i}@example.org"},
                language="de",
                ip="1.2.3.4",
            )
        with pytest.raises(services.RateLimited):
            services.submit_registration(
                event=event, data={**VALID, "email": "p9@example.org"}, language="de", ip="1.2.3.4"
            )
        # Another address from another network is not affected.
        services.submit_registration(
            event=event, data={**VALID, "email": "other@example.org"}, language="de", ip="5.6.7.8"
        )


@pytest.mark.django_db
class TestConfirmation:
    def test_confirm_gives_seat_entry_code_and_ticket_email(self, event, register, queued):
        registration = register("erika@example.org")

        registration = services.confirm_email(token=registration.confirm_token())

        assert registration.status == Status.CONFIRMED
        assert registration.hold_expires_at is None
        assert len(registration.entry_code) == 8
        assert set(registration.entry_code) <= set(ENTRY_CODE_ALPHABET)
        assert templates_of(queued) == ["confirm_address", "confirmed"]
        names = [a.filename for a in queued[-1]["attachments"]]
        assert names == ["veranstaltung.ics", f"einlasscode-{registration.entry_code_display}.png"]

    def test_confirming_twice_changes_nothing(self, event, register, queued):
        token = register("erika@example.org").confirm_token()
        services.confirm_email(token=token)
        again = services.confirm_email(token=token)

        assert again.status == Status.CONFIRMED
        assert templates_of(queued) == ["confirm_address", "confirmed"]

    def test_forged_token_is_invalid(self, event, register):
        register("erika@example.org")
        with pytest.raises(services.InvalidLink):
            services.confirm_email(token="forged" * 8)
        with pytest.raises(services.InvalidLink):
            services.confirm_email(token="")

    def test_confirm_after_hold_ran_out_releases_seat_and_says_expired(
        self, event, register, queued
    ):
        registration = register("erika@example.org")
        Registration.objects.filter(pk=registration.pk).update(
            hold_expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )

        with pytest.raises(services.LinkExpired):
            services.confirm_email(token=registration.confirm_token())

        registration.refresh_from_db()
        assert registration.status == Status.EXPIRED
        assert templates_of(queued) == ["confirm_address", "hold_expired"]
        assert services.seat_status(event).free == event.capacity

    def test_unconfirmed_gets_free_seat_directly_when_one_opened_meanwhile(
        self, event, register, confirmed_registration
    ):
        services.set_capacity(event=event, capacity=1)
        first = confirmed_registration("first@example.org")
        late = register("late@example.org")
        services.cancel(registration=first)

        late = services.confirm_email(token=late.confirm_token())

        assert late.status == Status.CONFIRMED


@pytest.mark.django_db
class TestExpiryAndWaitingList:
    def test_expire_holds_frees_seats_and_promotes_in_order(
        self, event, register, confirmed_registration, queued
    ):
        services.set_capacity(event=event, capacity=2)
        confirmed_registration("a@example.org")
        held = register("b@example.org")
        # Full now: two more join the waiting list, in this order.
        w1 = register("w1@example.org")
        w2 = register("w2@example.org")
        w1 = services.confirm_email(token=w1.confirm_token())
        w2 = services.confirm_email(token=w2.confirm_token())
        assert (w1.waiting_position(), w2.waiting_position()) == (1, 2)

        Registration.objects.filter(pk=held.pk).update(
            hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        assert services.expire_holds() == 1

        held.refresh_from_db()
        w1.refresh_from_db()
        w2.refresh_from_db()
        assert held.status == Status.EXPIRED
        assert w1.status == Status.CONFIRMED
        assert w2.status == Status.WAITING
        assert w2.waiting_position() == 1
        assert templates_of(queued)[-2:] == ["hold_expired", "moved_up"]
        assert_seat_invariant(event)

    def test_unconfirmed_waiting_list_request_expires_too(
        self, event, register, confirmed_registration
    ):
        services.set_capacity(event=event, capacity=0)
        late = register("late@example.org")
        Registration.objects.filter(pk=late.pk).update(
            hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )

        services.expire_holds()

        late.refresh_from_db()
        assert late.status == Status.EXPIRED

    def test_cancellation_moves_first_waiting_person_up(
        self, event, confirmed_registration, queued
    ):
        services.set_capacity(event=event, capacity=1)
        seat = confirmed_registration("seat@example.org")
        waiting = confirmed_registration("wait@example.org")
        assert waiting.status == Status.WAITING

        services.cancel(registration=seat)

        waiting.refresh_from_db()
        assert waiting.status == Status.CONFIRMED
        assert templates_of(queued)[-2:] == ["cancelled", "moved_up"]

    def test_cancelling_twice_sends_one_email(self, event, confirmed_registration, queued):
        registration = confirmed_registration("a@example.org")
        services.cancel(registration=registration)
        services.cancel(registration=registration)

        assert templates_of(queued).count("cancelled") == 1

    def test_leave_waiting_list(self, event, confirmed_registration, queued):
        services.set_capacity(event=event, capacity=0)
        waiting = confirmed_registration("w@example.org")

        left = services.leave_waiting_list(registration=waiting)

        assert left.status == Status.CANCELLED
        assert queued[-1]["context"]["was_waiting"] is True
        with pytest.raises(services.NotPossible):
            services.leave_waiting_list(registration=left)

    def test_raising_capacity_promotes_at_once(self, event, confirmed_registration):
        services.set_capacity(event=event, capacity=1)
        confirmed_registration("seat@example.org")
        waiting = [confirmed_registration(f"w{i}@example.org") for i in range(3)]

        promoted = services.set_capacity(event=event, capacity=3)

        assert [r.email for r in promoted] == ["w0@example.org", "w1@example.org"]
        statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
        assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]

    def test_lowering_capacity_keeps_every_seat_and_blocks_new_ones(
        self, event, confirmed_registration, register
    ):
        services.set_capacity(event=event, capacity=3)
        seats = [confirmed_registration(f"s{i}@example.org") for i in range(3)]

        services.set_capacity(event=event, capacity=1)

        assert all(Registration.objects.get(pk=r.pk).status == Status.CONFIRMED for r in seats)
        assert services.seat_status(event).free == 0
        assert register("new@example.org").status == Status.UNCONFIRMED
        # Two cancellations bring the count to the new capacity, not below: nobody moves up.
        waiting = services.confirm_email(
            token=Registration.objects.get(email="new@example.org").confirm_token()
        )
        services.cancel(registration=seats[0])
        services.cancel(registration=seats[1])
        waiting.refresh_from_db()
        assert waiting.status == Status.WAITING
        services.cancel(registration=seats[2])
        waiting.refresh_from_db()
        assert waiting.status == Status.CONFIRMED

    def test_negative_capacity_refused(self, event):
        with pytest.raises(services.NotPossible):
            services.set_capacity(event=event, capacity=-1)


@pytest.mark.django_db
class TestSelfService:
    def test_manage_token_is_long_and_only_its_hash_is_stored(self, event, register):
        registration = register("erika@example.org")
        token = registration.manage_token()

        assert len(token) >= 32  # at least 128 bits
        stored = Registration.objects.filter(pk=registration.pk).values().get()
        assert token not in {str(v) for v in stored.values()}
        assert services.registration_for_manage_token(token) == registration

    def test_rotating_revokes_old_link(self, event, confirmed_registration, queued):
        registration = confirmed_registration("erika@example.org")
        old = registration.manage_token()

        services.revoke_manage_link(registration=registration)

        with pytest.raises(services.InvalidLink):
            services.registration_for_manage_token(old)
        assert templates_of(queued)[-1] == "your_link"

    def test_update_details_sends_changed(self, event, confirmed_registration, queued):
        registration = confirmed_registration("erika@example.org")

        updated = services.update_details(
            registration=registration,
            data={
                "organisation": "Landkreis Heidekreis",
                "category": "model_municipality",
                "model_municipality": "heidekreis",
            },
        )

        assert updated.organisation == "Landkreis Heidekreis"
        assert templates_of(queued)[-1] == "changed"

    def test_update_without_change_sends_nothing(self, event, confirmed_registration, queued):
        registration = confirmed_registration("erika@example.org")
        count = len(queued)
        services.update_details(registration=registration, data={"first_name": "Erika"})
        assert len(queued) == count

    def test_email_change_needs_confirmation_of_new_address(
        self, event, confirmed_registration, queued
    ):
        registration = confirmed_registration("old@example.org")

        services.request_email_change(registration=registration, new_email="new@example.org")
        registration.refresh_from_db()
        assert registration.email == "old@example.org"
        assert queued[-1]["to"] == "new@example.org"
        token = registration.email_change_token()

        changed = services.confirm_email_change(token=token)

        assert changed.email == "new@example.org"
        assert changed.pending_email == ""
        assert [m["to"] for m in queued[-2:]] == ["new@example.org", "old@example.org"]
        with pytest.raises(services.InvalidLink):
            services.confirm_email_change(token=token)

    def test_email_change_to_taken_address_fails_on_confirmation(
        self, event, confirmed_registration
    ):
        registration = confirmed_registration("a@example.org")
        confirmed_registration("b@example.org")
        services.request_email_change(registration=registration, new_email="B@example.org")
        registration.refresh_from_db()

        with pytest.raises(services.NotPossible):
            services.confirm_email_change(token=registration.email_change_token())
        registration.refresh_from_db()
        assert registration.email == "a@example.org"

    def test_email_change_link_expires(self, event, confirmed_registration):
        registration = confirmed_registration("a@example.org")
        services.request_email_change(registration=registration, new_email="n@example.org")
        Registration.objects.filter(pk=registration.pk).update(
            email_change_requested_at=timezone.now() - datetime.timedelta(hours=49)
        )
        registration.refresh_from_db()
        with pytest.raises(services.LinkExpired):
            services.confirm_email_change(token=registration.email_change_token())

    def test_resend_link_is_silent_for_unknown_addresses(
        self, event, confirmed_registration, queued
    ):
        confirmed_registration("known@example.org")
        count = len(queued)

        services.resend_link(email="unknown@example.org")
        assert len(queued) == count
        services.resend_link(email="KNOWN@example.org")
        assert templates_of(queued)[-1] == "your_link"


def test_entry_code_normalisation():
    assert normalise_entry_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalise_entry_code("ABCD EFGH") == "ABCDEFGH"


@pytest.mark.django_db
def test_entry_codes_are_unique_and_readable(event, register):
    codes = {register(f"p{i}@example.org").entry_code for i in range(30)}
    assert len(codes) == 30
    assert all(set(c) <= set(ENTRY_CODE_ALPHABET) and len(c) == 8 for c in codes)
