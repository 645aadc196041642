"""The attacks of a hostile visitor on the sign-up and the email change: mail to strangers,
seats blocked from one address, a forged client address."""

import datetime

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from eventsite.client_address import client_ip, client_network
from outbox.models import OutgoingEmail
from registration import services
from registration.models import Registration
from tests.registration.conftest import VALID, templates_of
from tests.registration.test_views import FORM

Status = Registration.Status
SPAM_NAME = "Visit evil.example now"


@pytest.mark.django_db
class TestEmailChangeLimits:
    def test_one_registration_cannot_mail_thirty_strangers(self, confirmed_registration, queued):
        registration = confirmed_registration("erika@example.org")
        accepted = 0
        for number in range(30):
            try:
                services.request_email_change(
                    registration=registration,
                    new_email=f"stranger{number}@example.net",
                    ip=f"198.51.100.{number}",
                )
            except services.RateLimited:
                continue
            accepted += 1

        assert accepted == services.EMAIL_CHANGES_PER_REGISTRATION
        assert templates_of(queued).count("confirm_new_address") == accepted

    def test_one_ip_cannot_mail_strangers_through_many_registrations(
        self, confirmed_registration, queued
    ):
        registrations = [confirmed_registration(f"person{n}@example.org") for n in range(15)]
        accepted = 0
        for number, registration in enumerate(registrations):
            try:
                services.request_email_change(
                    registration=registration,
                    new_email=f"stranger{number}@example.net",
                    ip="203.0.113.9",
                )
            except services.RateLimited:
                continue
            accepted += 1

        assert accepted == services.EMAIL_CHANGES_PER_IP

    def test_one_target_gets_few_links(self, confirmed_registration):
        registrations = [confirmed_registration(f"person{n}@example.org") for n in range(8)]
        accepted = 0
        for number, registration in enumerate(registrations):
            try:
                services.request_email_change(
                    registration=registration,
                    new_email="victim@example.net",
                    ip=f"198.51.100.{number}",
                )
            except services.RateLimited:
                continue
            accepted += 1

        assert accepted == services.RATE_LIMIT_PER_EMAIL

    def test_limited_change_answers_429_page_and_sends_nothing(
        self, client, confirmed_registration, queued
    ):
        registration = confirmed_registration("erika@example.org")
        url = f"/anmeldung/verwalten/{registration.manage_token()}/email/"
        statuses = [
            client.post(url, {"new_email": f"s{n}@example.net"}).status_code for n in range(5)
        ]

        assert statuses == [302] * services.EMAIL_CHANGES_PER_REGISTRATION + [429] * (
            5 - services.EMAIL_CHANGES_PER_REGISTRATION
        )
        assert templates_of(queued).count("confirm_new_address") == 3

    def test_mail_to_new_address_carries_no_name_the_requester_chose(self, confirmed_registration):
        registration = confirmed_registration("erika@example.org", first_name=SPAM_NAME)
        services.request_email_change(
            registration=registration, new_email="stranger@example.net", ip="198.51.100.1"
        )

        mail = OutgoingEmail.objects.get(recipient="stranger@example.net")
        assert "evil.example" not in mail.subject + mail.body_text + mail.body_html
        assert mail.body_text.startswith("Guten Tag,")


@pytest.mark.django_db
class TestUnconfirmedAddressGreeting:
    def test_first_mail_to_an_unconfirmed_address_has_no_requester_text(self, register):
        register("stranger@example.net", first_name=SPAM_NAME, last_name="today")

        mail = OutgoingEmail.objects.get(recipient="stranger@example.net")
        assert "evil.example" not in mail.subject + mail.body_text + mail.body_html
        assert mail.body_text.startswith("Guten Tag,")

    def test_english_first_mail_greets_neutrally(self, register):
        register("stranger@example.net", language="en", first_name=SPAM_NAME)

        mail = OutgoingEmail.objects.get(recipient="stranger@example.net")
        assert mail.body_text.startswith("Hello,")
        assert "evil.example" not in mail.body_html

    def test_expired_hold_mail_has_no_requester_text(self, register, event):
        registration = register("stranger@example.net", first_name=SPAM_NAME)
        Registration.objects.filter(pk=registration.pk).update(
            hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        services.expire_holds()

        mail = OutgoingEmail.objects.get(template="registration/hold_expired")
        assert "evil.example" not in mail.body_text + mail.body_html

    def test_confirmed_person_is_greeted_by_name(self, confirmed_registration):
        confirmed_registration("erika@example.org")

        mail = OutgoingEmail.objects.get(template="registration/confirmed")
        assert mail.body_text.startswith("Guten Tag Erika Mustermann,")


def submit(event, email, ip, **details):
    return services.submit_registration(
        event=event, data={**VALID, "email": email, **details}, language="de", ip=ip
    ).registration


@pytest.mark.django_db
class TestHoldsPerClient:
    def test_one_client_holds_at_most_the_cap_then_registers_without_a_seat(self, event, settings):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 3
        statuses = [submit(event, f"p{n}@example.org", "203.0.113.7").status for n in range(6)]

        assert statuses == [Status.HELD] * 3 + [Status.UNCONFIRMED] * 3
        assert services.seat_status(event).held == 3

    def test_other_clients_still_hold_seats(self, event, settings):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 2
        for n in range(5):
            submit(event, f"flood{n}@example.org", "203.0.113.7")

        other = submit(event, "erika@example.org", "198.51.100.20")

        assert other.status == Status.HELD

    def test_confirming_frees_the_clients_hold_allowance(self, event, settings):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 1
        first = submit(event, "a@example.org", "203.0.113.7")
        services.confirm_email(token=first.confirm_token())

        second = submit(event, "b@example.org", "203.0.113.7")

        assert second.status == Status.HELD

    def test_above_the_cap_confirming_still_gets_a_free_seat(self, event, settings):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 1
        submit(event, "a@example.org", "203.0.113.7")
        second = submit(event, "b@example.org", "203.0.113.7")

        second = services.confirm_email(token=second.confirm_token())

        assert second.status == Status.CONFIRMED

    def test_above_the_cap_the_email_does_not_claim_the_event_is_full(
        self, event, settings, queued
    ):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 1
        submit(event, "a@example.org", "203.0.113.7")
        submit(event, "b@example.org", "203.0.113.7")

        mail = OutgoingEmail.objects.get(recipient="b@example.org")
        assert "Alle Plätze sind vergeben" not in mail.body_text
        assert "solange noch Plätze frei sind" in mail.body_text

    def test_ipv6_addresses_of_one_network_count_as_one_client(self, event, settings):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 2
        statuses = [
            submit(event, f"p{n}@example.org", f"2001:db8:1:2::{n:x}").status for n in range(1, 5)
        ]

        assert statuses == [Status.HELD] * 2 + [Status.UNCONFIRMED] * 2

    def test_cap_is_a_separate_rule(self, event, settings):
        settings.REGISTRATION_HOLDS_PER_CLIENT = 1
        now = timezone.now()
        assert services.client_may_hold_another_seat(
            event=event, client_key=services.client_key("203.0.113.7"), now=now
        )
        submit(event, "a@example.org", "203.0.113.7")
        assert not services.client_may_hold_another_seat(
            event=event, client_key=services.client_key("203.0.113.7"), now=now
        )
        assert services.client_may_hold_another_seat(event=event, client_key="", now=now)


@pytest.mark.django_db
class TestHoldTimeShrinks:
    def test_hold_lasts_full_time_while_the_event_is_empty(self, event, settings):
        settings.REGISTRATION_HOLD_HOURS = 24
        settings.REGISTRATION_HOLD_SHRINK = [(50, 6), (90, 1)]
        registration = submit(event, "a@example.org", None)

        expected = timezone.now() + datetime.timedelta(hours=24)
        assert abs(registration.hold_expires_at - expected) < datetime.timedelta(seconds=5)

    @pytest.mark.parametrize(("taken", "hours"), [(4, 24), (5, 6), (8, 6), (9, 1)])
    def test_hold_shrinks_as_the_event_fills(self, event, settings, taken, hours):
        settings.REGISTRATION_HOLD_HOURS = 24
        settings.REGISTRATION_HOLD_SHRINK = [(50, 6), (90, 1)]
        settings.REGISTRATION_HOLDS_PER_CLIENT = 100
        services.set_capacity(event=event, capacity=10)
        for n in range(taken):
            submit(event, f"p{n}@example.org", None)

        registration = submit(event, "late@example.org", None)

        expected = timezone.now() + datetime.timedelta(hours=hours)
        assert abs(registration.hold_expires_at - expected) < datetime.timedelta(seconds=5)

    def test_form_page_says_the_current_hold_time(self, client, event, settings):
        settings.REGISTRATION_HOLD_SHRINK = [(50, 6)]
        services.set_capacity(event=event, capacity=2)
        submit(event, "a@example.org", None)

        content = client.get("/anmeldung/").content.decode()

        assert "(bis zu 6 Stunden)" in content

    def test_email_says_how_long_the_hold_lasts(self, event, settings):
        settings.REGISTRATION_HOLD_SHRINK = [(50, 6)]
        services.set_capacity(event=event, capacity=2)
        submit(event, "a@example.org", None)
        submit(event, "b@example.org", None)

        mail = OutgoingEmail.objects.get(recipient="b@example.org")
        assert "6 Stunden" in mail.body_text


def request_from(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


class TestClientAddress:
    def test_forwarded_header_ignored_without_trusted_proxies(self, settings):
        settings.TRUSTED_PROXIES = []
        assert client_ip(request_from("203.0.113.5", "10.9.9.9")) == "203.0.113.5"

    def test_forwarded_header_ignored_from_a_client_that_is_no_proxy(self, settings):
        settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
        assert client_ip(request_from("203.0.113.5", "10.9.9.9")) == "203.0.113.5"

    def test_trusted_proxy_gives_the_address_it_appended(self, settings):
        settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
        forged_then_real = "6.6.6.6, 198.51.100.4"
        assert client_ip(request_from("127.0.0.1", forged_then_real)) == "198.51.100.4"

    def test_chain_of_trusted_proxies_is_walked_from_the_right(self, settings):
        settings.TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
        header = "6.6.6.6, 198.51.100.4, 10.1.2.3"
        assert client_ip(request_from("127.0.0.1", header)) == "198.51.100.4"

    def test_garbage_in_the_header_falls_back_to_the_proxy(self, settings):
        settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
        assert client_ip(request_from("127.0.0.1", "not-an-ip")) == "127.0.0.1"

    def test_ipv6_network_is_the_slash_64(self):
        assert client_network("2001:db8:1:2::5") == client_network("2001:db8:1:2:ffff::1")
        assert client_network("2001:db8:1:3::5") != client_network("2001:db8:1:2::5")
        assert client_network("203.0.113.5") == "203.0.113.5"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_direct_client_cannot_pick_a_new_address_per_request(event, monkeypatch):
    monkeypatch.setattr(services, "RATE_LIMIT_PER_IP", 5)
    client = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [
        client.post(
            "/anmeldung/",
            {**FORM, "email": f"p{n}@example.org"},
            headers={"x-forwarded-for": f"10.0.{n}.1"},
        ).status_code
        for n in range(8)
    ]

    assert statuses == [302] * 5 + [429] * 3
