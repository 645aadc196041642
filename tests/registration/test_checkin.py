"""The door: who may use it, finding guests, check-in, refusals, undo, offline sync."""

import datetime
import json
import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from registration import checkin, services
from registration.models import CheckIn, Registration

Status = Registration.Status
Outcome = CheckIn.Outcome


@pytest.fixture
def door_user(door_group):
    user = User.objects.create_user(
        "anna", password="pw-door-123", first_name="Anna", last_name="Pförtner", is_staff=True
    )
    user.groups.add(door_group)
    return user


@pytest.fixture
def door(client, door_user):
    client.force_login(door_user)
    return client


@pytest.fixture
def guest(confirmed_registration):
    return confirmed_registration(
        "erika@example.org", first_name="Erika", last_name="Müßig", organisation="Stadt Düren"
    )


def test_door_group_has_only_the_check_in_permission(db):
    group = Group.objects.get(name="Einlass")
    assert [p.codename for p in group.permissions.all()] == ["check_in"]


def test_door_needs_login_and_the_permission(client, event, db):
    response = client.get("/checkin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/checkin/")
    client.force_login(User.objects.create_user("bob", is_staff=True))
    assert client.get("/checkin/").status_code == 403
    assert client.get("/checkin/gaesteliste.json").status_code == 403
    assert client.post("/checkin/1/einlassen/").status_code == 403


def test_door_user_sees_nothing_else_in_the_admin(door, event):
    assert door.get("/admin/registration/registration/").status_code == 403


@pytest.mark.parametrize(
    "query", ["Müßig", "erika müß", "düren", "STADT", "{code}", "{dashed}", "{lower}", "{short}"]
)
def test_find_guest_by_name_organisation_or_code(door, event, guest, register, query):
    register("other@example.org", first_name="Otto", last_name="Anders", organisation="Bund")
    query = query.format(
        code=guest.entry_code,
        dashed=guest.entry_code_display,
        lower=guest.entry_code_display.lower(),
        short=guest.entry_code[:5],
    )
    response = door.get("/checkin/", {"q": query})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Erika Müßig" in content
    assert "Otto Anders" not in content
    assert response["Cache-Control"].startswith("private, no-store")


def test_search_without_match_says_so(door, event, guest):
    content = door.get("/checkin/", {"q": "Niemand"}).content.decode()
    assert "Niemand gefunden" in content
    assert 'id="door-empty" class="door-empty" hidden' not in content


def test_one_tap_checks_in_and_second_tap_shows_when_and_by_whom(door, event, guest, door_user):
    response = door.post(f"/checkin/{guest.pk}/einlassen/", {"q": "Müßig"})
    assert response.status_code == 302
    assert response["Location"] == "/checkin/?q=M%C3%BC%C3%9Fig"
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    assert guest.checked_in_by == door_user
    page = door.get(response["Location"]).content.decode()
    assert "door-result-checked_in" in page
    assert "EINLASS" in page

    door.post(f"/checkin/{guest.pk}/einlassen/")
    page = door.get("/checkin/?q=Müßig").content.decode()
    when = timezone.localtime(guest.checked_in_at).strftime("%H:%M")
    assert "door-result-already_checked_in" in page
    assert f"Bereits eingelassen um {when} von Anna Pförtner." in page
    assert "SCHON EINGELASSEN" in page
    assert CheckIn.objects.filter(outcome=Outcome.ALREADY_CHECKED_IN).count() == 1
    guest.refresh_from_db()
    assert guest.checked_in_by == door_user


def test_undo_check_in(door, event, guest):
    door.post(f"/checkin/{guest.pk}/einlassen/")
    door.post(f"/checkin/{guest.pk}/rueckgaengig/")
    guest.refresh_from_db()
    assert guest.checked_in_at is None
    assert guest.checked_in_by is None
    assert "door-result-undone" in door.get("/checkin/").content.decode()
    assert list(CheckIn.objects.values_list("action", "outcome")) == [
        ("check_in", "checked_in"),
        ("undo", "undone"),
    ]


def _make(status, register, confirmed_registration, event):
    if status == "cancelled":
        registration = confirmed_registration("x@example.org")
        return services.cancel(registration=registration)
    if status == "expired":
        registration = register("x@example.org")
        Registration.objects.filter(pk=registration.pk).update(
            hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        services.expire_holds()
        return Registration.objects.get(pk=registration.pk)
    if status == "held":
        return register("x@example.org")
    if status == "waiting":
        services.set_capacity(event=event, capacity=0)
        return confirmed_registration("x@example.org")
    raise AssertionError(status)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("cancelled", "Die Anmeldung ist storniert."),
        ("expired", "Die Anmeldung ist abgelaufen"),
        ("held", "Die Anmeldung ist unbestätigt"),
        ("waiting", "Die Person steht auf der Warteliste"),
    ],
)
def test_refused_with_the_reason(door, event, register, confirmed_registration, status, reason):
    registration = _make(status, register, confirmed_registration, event)
    assert registration.status == status
    page = door.get("/checkin/", {"q": registration.entry_code}).content.decode()
    assert "KEIN EINLASS" in page and reason in page
    door.post(f"/checkin/{registration.pk}/einlassen/")
    page = door.get("/checkin/").content.decode()
    assert "door-result-refused" in page
    assert reason in page
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_counter_shows_in_of_expected(door, event, guest, confirmed_registration, register):
    confirmed_registration("b@example.org")
    register("unconfirmed@example.org")
    door.post(f"/checkin/{guest.pk}/einlassen/")
    page = door.get("/checkin/").content.decode()
    assert '<strong id="door-in">1</strong> von <strong id="door-expected">2</strong>' in page


def test_cancelling_clears_the_check_in(event, guest, door_user):
    checkin.check_in(event=event, registration_id=guest.pk, by=door_user)
    cancelled = services.cancel(registration=guest, by=Registration.CancelledBy.ORGANISER)
    assert cancelled.checked_in_at is None and cancelled.checked_in_by is None


def test_snapshot_holds_only_what_the_door_needs(door, event, guest):
    data = door.get("/checkin/gaesteliste.json").json()
    assert data["counts"] == {"checked_in": 0, "expected": 1}
    [entry] = data["guests"]
    assert set(entry) == {
        "id",
        "name",
        "last_name",
        "organisation",
        "code",
        "refusal",
        "checked_in_at",
        "checked_in_by",
    }
    assert entry["code"] == guest.entry_code
    assert "erika@example.org" not in json.dumps(data)


def _sync(door, *items):
    response = door.post(
        "/checkin/senden/", json.dumps({"check_ins": list(items)}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_sync_is_idempotent_by_client_id(door, event, guest):
    item = {
        "client_id": str(uuid.uuid4()),
        "registration": guest.pk,
        "at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
    }
    first = _sync(door, item)
    again = _sync(door, item)
    assert first["results"][0]["outcome"] == "checked_in"
    assert again["results"][0]["outcome"] == "checked_in"
    assert CheckIn.objects.count() == 1
    guest.refresh_from_db()
    assert guest.checked_in_at == datetime.datetime.fromisoformat(item["at"])
    assert again["counts"] == {"checked_in": 1, "expected": 1}


def test_sync_keeps_the_earliest_time_and_reports_the_conflict(door, event, guest):
    early = timezone.now() - datetime.timedelta(minutes=10)
    late = timezone.now() - datetime.timedelta(minutes=2)
    second_device = _sync(
        door, {"client_id": str(uuid.uuid4()), "registration": guest.pk, "at": late.isoformat()}
    )
    first_device = _sync(
        door, {"client_id": str(uuid.uuid4()), "registration": guest.pk, "at": early.isoformat()}
    )
    assert second_device["results"][0]["outcome"] == "checked_in"
    assert first_device["results"][0]["outcome"] == "earlier_kept"
    assert "die frühere Zeit" in first_device["results"][0]["message"]
    guest.refresh_from_db()
    assert guest.checked_in_at == early

    third = _sync(
        door, {"client_id": str(uuid.uuid4()), "registration": guest.pk, "at": late.isoformat()}
    )
    assert third["results"][0]["outcome"] == "already_checked_in"


def test_sync_takes_a_time_in_the_future_as_now(door, event, guest):
    _sync(
        door,
        {
            "client_id": str(uuid.uuid4()),
            "registration": guest.pk,
            "at": (timezone.now() + datetime.timedelta(hours=3)).isoformat(),
        },
    )
    guest.refresh_from_db()
    assert guest.checked_in_at <= timezone.now()


@pytest.mark.parametrize(
    "body",
    [
        "nonsense",
        json.dumps({"check_ins": [{"client_id": "x", "registration": 1}]}),
        json.dumps(
            {
                "check_ins": [
                    {"client_id": str(uuid.uuid4()), "registration": 1, "at": "2016-09-22T10:00:00"}
                ]
            }
        ),
    ],
)
def test_sync_refuses_unreadable_data_with_400(door, event, body):
    response = door.post("/checkin/senden/", body, content_type="application/json")
    assert response.status_code == 400
    assert "unlesbar" in response.json()["error"]


def test_sync_of_unknown_guest_is_reported_not_a_500(door, event):
    data = _sync(
        door,
        {"client_id": str(uuid.uuid4()), "registration": 999999, "at": timezone.now().isoformat()},
    )
    assert data["results"][0]["outcome"] == "unknown"


def test_logout_wipes_the_browser_storage(door, event):
    response = door.post("/checkin/abmelden/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    assert door.get("/checkin/").status_code == 302


def test_english_door(door, event, guest):
    door.post(f"/en/checkin/{guest.pk}/einlassen/")
    page = door.get("/en/checkin/").content.decode()
    assert "Checked in at " in page
    assert "Checked in at" in page.split("door-texts")[1]


def test_check_in_and_undo_are_in_the_audit_trail(event, guest, door_user):
    from audit.models import AuditEntry

    checkin.check_in(event=event, registration_id=guest.pk, by=door_user)
    checkin.check_in(event=event, registration_id=guest.pk, by=door_user)  # already in
    checkin.undo_check_in(event=event, registration_id=guest.pk, by=door_user)

    entries = AuditEntry.objects.filter(object_id=guest.pk, via="check-in").order_by("pk")
    assert [e.action for e in entries] == ["checked_in", "check_in_undone"]
    assert all(e.actor_user == door_user for e in entries)
    assert entries[0].changes["checked_in_at"]["old"] is None
    assert entries[1].changes["checked_in_at"]["new"] is None
