"""The audit trail after a scripted life cycle: every change of a registration with its
time, actor and the changed fields (old → new), on the registration's admin page and
filterable in the audit list."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from registration import services
from registration.models import Registration
from tests.registration.conftest import VALID

Status = Registration.Status
CHANGELIST = reverse("admin:registration_registration_changelist")
AUDIT_LIST = reverse("admin:audit_auditentry_changelist")


def trail(registration) -> list[tuple[str, str, str, dict]]:
    """(action, actor kind, via, changes) oldest first."""
    return [
        (e.action, e.actor_kind, e.via, e.changes)
        for e in AuditEntry.objects.about(registration).order_by("at", "pk")
    ]


def test_life_cycle_by_attendee_organiser_and_system(
    client, admin_client, admin_user, event, register, confirmed_registration
):
    services.set_capacity(event=event, capacity=1)
    # The attendee registers and confirms; a second person joins the waiting list.
    anna = confirmed_registration("anna@example.org", first_name="Anna", last_name="Adler")
    bernd = confirmed_registration("bernd@example.org", first_name="Bernd", last_name="Bäcker")
    assert bernd.status == Status.WAITING

    # Anna changes her details on her self-service page.
    token = anna.manage_token()
    response = client.post(
        reverse("registration:edit", args=[token]),
        {**VALID, "email": "anna@example.org", "first_name": "Anna", "last_name": "Adler-Berg"},
    )
    assert response.status_code == 302
    # An organiser corrects her organisation in the admin.
    change_url = reverse("admin:registration_registration_change", args=[anna.pk])
    form = {**VALID, "email": "anna@example.org", "first_name": "Anna", "last_name": "Adler-Berg"}
    form["organisation"] = "Stadt Norderstedt"
    response = admin_client.post(change_url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Anna cancels herself; the system moves Bernd up.
    client.post(reverse("registration:cancel", args=[token]), {"confirm": "yes"})
    anna.refresh_from_db()
    bernd.refresh_from_db()
    assert anna.status == Status.CANCELLED
    assert bernd.status == Status.CONFIRMED

    anna_trail = trail(anna)
    assert [(action, kind) for action, kind, _via, _c in anna_trail] == [
        ("created", "attendee"),
        ("email_confirmed", "attendee"),
        ("changed", "attendee"),
        ("changed", "organiser"),
        ("cancelled", "attendee"),
    ]
    assert anna_trail[0][3]["status"] == {"old": None, "new": "held"}
    assert anna_trail[1][3]["status"] == {"old": "held", "new": "confirmed"}
    assert anna_trail[2][3] == {"last_name": {"old": "Adler", "new": "Adler-Berg"}}
    assert anna_trail[3][3] == {
        "organisation": {"old": "Stadt Musterstadt", "new": "Stadt Norderstedt"}
    }
    assert anna_trail[4][3]["status"] == {"old": "confirmed", "new": "cancelled"}
    assert anna_trail[4][3]["cancelled_by"] == {"old": "", "new": "participant"}
    organiser_entry = AuditEntry.objects.about(anna).get(actor_kind="organiser")
    assert organiser_entry.actor_user == admin_user
    assert organiser_entry.actor_name == admin_user.username

    bernd_trail = trail(bernd)
    assert [(a, k) for a, k, _v, _c in bernd_trail] == [
        ("created", "attendee"),
        ("email_confirmed", "attendee"),
        ("promoted", "system"),
    ]
    assert bernd_trail[1][3]["status"] == {"old": "unconfirmed", "new": "waiting"}
    assert bernd_trail[2][3]["status"] == {"old": "waiting", "new": "confirmed"}


def test_hold_expired_is_recorded_as_system(event, register):
    clara = register("clara@example.org")
    Registration.objects.filter(pk=clara.pk).update(
        hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert services.expire_holds() == 1

    action, kind, via, changes = trail(clara)[-1]
    assert (action, kind, via) == ("hold_expired", "system", "expire-holds")
    assert changes["status"] == {"old": "held", "new": "expired"}


def test_admin_actions_record_the_organiser(
    admin_client, admin_user, event, confirmed_registration
):
    services.set_capacity(event=event, capacity=1)
    confirmed_registration("first@example.org")
    waiting = confirmed_registration("waiting@example.org")
    admin_client.post(
        CHANGELIST,
        {
            "action": "confirm_from_waiting_list",
            "_selected_action": [waiting.pk],
            "post": "yes",
            "add_seat": "on",
        },
    )
    admin_client.post(CHANGELIST, {"action": "replace_link", "_selected_action": [waiting.pk]})
    admin_client.post(
        CHANGELIST, {"action": "resend_confirmation", "_selected_action": [waiting.pk]}
    )
    admin_client.post(
        CHANGELIST,
        {"action": "cancel_registrations", "_selected_action": [waiting.pk], "post": "yes"},
    )

    entries = list(AuditEntry.objects.about(waiting).filter(actor_kind="organiser").order_by("pk"))
    assert [e.action for e in entries] == [
        "confirmed_out_of_turn",
        "link_replaced",
        "email_resent",
        "cancelled",
    ]
    assert {e.actor_user for e in entries} == {admin_user}
    assert entries[0].changes["status"] == {"old": "waiting", "new": "confirmed"}
    assert entries[3].changes["cancelled_by"] == {"old": "", "new": "organiser"}


def test_trail_shown_on_the_registration_and_filterable(admin_client, event, register):
    erika = register("erika@example.org", first_name="Erika")
    other = register("other@example.org", first_name="Otto")
    services.update_details(registration=erika, data={"first_name": "Erica"})

    page = admin_client.get(reverse("admin:registration_registration_change", args=[erika.pk]))
    html = page.content.decode()
    assert "Änderungsverlauf" in html
    assert "Vorname: Erika → Erica" in html
    assert "Teilnehmende Person (Selbstverwaltung)" in html

    content_type = ContentType.objects.get_for_model(Registration)
    response = admin_client.get(
        AUDIT_LIST, {"content_type__id__exact": content_type.pk, "object_id": erika.pk}
    )
    listed = list(response.context["cl"].result_list)
    assert {e.object_id for e in listed} == {erika.pk}
    assert len(listed) == 2
    response = admin_client.get(AUDIT_LIST, {"action": "changed", "actor_kind__exact": "attendee"})
    assert [e.object_id for e in response.context["cl"].result_list] == [erika.pk]
    assert other.pk not in [e.object_id for e in response.context["cl"].result_list]


def test_email_change_records_old_and_new_address(event, confirmed_registration):
    erika = confirmed_registration("erika@example.org")
    services.request_email_change(registration=erika, new_email="neu@example.org")
    erika.refresh_from_db()
    services.confirm_email_change(token=erika.email_change_token())

    actions = trail(erika)[-2:]
    assert actions[0][0] == "email_change_requested"
    assert actions[0][3] == {"pending_email": {"old": "", "new": "neu@example.org"}}
    assert actions[1][0] == "email_changed"
    assert actions[1][3]["email"] == {"old": "erika@example.org", "new": "neu@example.org"}


@pytest.mark.parametrize("language", ["de", "en"])
def test_audit_list_renders_in_both_languages(admin_client, event, register, language):
    register("erika@example.org")
    prefix = "" if language == "de" else "/en"
    response = admin_client.get(prefix + AUDIT_LIST)
    assert response.status_code == 200
