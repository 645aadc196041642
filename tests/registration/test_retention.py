"""Data protection that keeps its promises: retention, prompt deletion of cancelled and
lapsed registrations, and erasure. After anonymisation no personal data of the person is
left anywhere in the database: every column of every table is searched."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from audit.models import AuditEntry
from outbox import deliver_outbox
from outbox.models import OutgoingEmail
from programme.pages import deletion_date
from registration import retention, services
from registration.models import Registration

Status = Registration.Status
CHANGELIST = reverse("admin:registration_registration_changelist")

PERSON = {
    "first_name": "Quirinus",
    "last_name": "Zwiebelmeyer",
    "organisation": "Amt Zwiebelhausen",
    "position": "Referatsleitung Quxwesen",
    "accessibility_needs": "Gebärdensprache bei Xylophonvortrag",
    "academic_title": "Dr. Quxx",
}
EMAIL = "quirinus.zwiebelmeyer@example.org"
NEW_EMAIL = "q.zwiebelmeyer.neu@example.org"


def retention_job():
    job = next(j for j in django_settings.PERIODIC_JOBS if j["run"].endswith("anonymise_due"))
    return import_string(job["run"])


def every_value_in_the_database():
    """Every value of every row of every table, as text (sessions decoded too)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from introspection)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "ignore")
                    values.append(str(value))
    values += [str(session.get_decoded()) for session in Session.objects.all()]
    return values


def traces_of(needles, values) -> list[tuple[str, str]]:
    return [
        (needle, value[:120])
        for needle in needles
        for value in values
        if needle.lower() in value.lower()
    ]


def life_of(admin_client, admin_user, register):
    """A registration that went everywhere personal data can go: emails sent, details
    edited by the person and an organiser, a new address asked for, exported as CSV."""
    registration = register(EMAIL, **PERSON)
    services.confirm_email(token=registration.confirm_token())
    registration.refresh_from_db()
    services.update_details(
        registration=registration, data={"position": "Referatsleitung Quxwesen II"}
    )
    services.request_email_change(registration=registration, new_email=NEW_EMAIL)
    export = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [registration.pk]}
    )
    # Read to the end: the test client then closes the streamed file.
    assert b"Zwiebelmeyer" in b"".join(export.streaming_content)
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=[registration],
        action_flag=CHANGE,
        change_message="",
    )
    deliver_outbox()
    registration.refresh_from_db()
    return registration


def needles_of(old_entry_code, old_manage_hash):
    return [
        *PERSON.values(),
        "Referatsleitung Quxwesen II",
        EMAIL,
        NEW_EMAIL,
        "zwiebelmeyer",
        old_entry_code,
        old_manage_hash,
    ]


def test_retention_job_leaves_no_personal_data_anywhere(
    admin_client, admin_user, event, register, settings
):
    settings.RETENTION_DAYS_AFTER_EVENT = 90
    registration = life_of(admin_client, admin_user, register)
    other = register("bleibt@example.org", first_name="Bleibt", last_name="Hier")
    old_code, old_hash = registration.entry_code, registration.manage_token_hash
    needles = needles_of(old_code, old_hash)
    # Precondition: the data is really spread over several tables.
    tables_before = traces_of(needles, every_value_in_the_database())
    assert len(tables_before) > 10
    assert OutgoingEmail.objects.filter(status="sent").exists()
    # Registered 91 days ago, the (seeded) event long past: due.
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )

    assert retention_job()() == 1

    assert traces_of(needles, every_value_in_the_database()) == []
    registration.refresh_from_db()
    assert registration.anonymised_at is not None
    assert registration.status == Status.CONFIRMED  # the anonymous count stays
    assert registration.category == "municipality"
    assert registration.emails.count() == 0
    assert AuditEntry.objects.about(registration).filter(action="anonymised").exists()
    # Someone else, not yet due, keeps everything.
    other.refresh_from_db()
    assert (other.first_name, other.email) == ("Bleibt", "bleibt@example.org")
    assert other.emails.exists()
    # A second run finds nothing more to do.
    assert retention_job()() == 0


def test_privacy_page_states_the_day_the_job_deletes(client, event, register, settings):
    settings.RETENTION_DAYS_AFTER_EVENT = 30
    registration = register("heute@example.org")
    promised = deletion_date(event, registered_on=timezone.localdate())
    html = client.get("/datenschutz/").content.decode()
    assert promised.strftime("%d.%m.%Y") in html
    assert "21.12.2016" not in html

    day_before = timezone.make_aware(
        datetime.datetime.combine(promised - datetime.timedelta(days=1), datetime.time(23, 59))
    )
    that_day = timezone.make_aware(datetime.datetime.combine(promised, datetime.time(0, 1)))
    assert registration not in retention.due_for_anonymisation(day_before)
    assert registration in retention.due_for_anonymisation(that_day)


def test_future_event_deletion_date_counts_from_the_event(event, settings):
    settings.RETENTION_DAYS_AFTER_EVENT = 90
    event.date = timezone.localdate() + datetime.timedelta(days=20)
    event.save()
    assert deletion_date(
        event, registered_on=timezone.localdate()
    ) == event.date + datetime.timedelta(days=90)


def test_cancelled_registration_loses_its_data_promptly(event, confirmed_registration, settings):
    settings.INACTIVE_DATA_HOURS = 24
    registration = confirmed_registration("storno@example.org", first_name="Storno")
    services.cancel(registration=registration)
    deliver_outbox()
    now = timezone.now()

    assert retention.anonymise_due(now + datetime.timedelta(hours=23)) == 0
    assert retention.anonymise_due(now + datetime.timedelta(hours=25)) == 1

    registration.refresh_from_db()
    assert registration.first_name == ""
    assert registration.email.endswith("@anonymised.invalid")
    assert registration.status == Status.CANCELLED


def test_lapsed_hold_loses_its_data_promptly(event, register, settings):
    settings.INACTIVE_DATA_HOURS = 24
    registration = register("lapsed@example.org", first_name="Lapsus")
    Registration.objects.filter(pk=registration.pk).update(
        hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.expire_holds()
    deliver_outbox()

    assert retention.anonymise_due(timezone.now() + datetime.timedelta(hours=25)) == 1
    registration.refresh_from_db()
    assert (registration.status, registration.first_name) == (Status.EXPIRED, "")


def test_cancelled_registration_waits_for_its_last_email(event, confirmed_registration, settings):
    settings.INACTIVE_DATA_HOURS = 24
    registration = confirmed_registration("wartet@example.org")
    services.cancel(registration=registration)  # the cancellation email is still queued

    assert retention.anonymise_due(timezone.now() + datetime.timedelta(hours=25)) == 0
    deliver_outbox()
    assert retention.anonymise_due(timezone.now() + datetime.timedelta(hours=25)) == 1


def test_admin_log_of_deleted_registration_is_anonymised(admin_user, event, register):
    registration = register("geloescht@example.org", first_name="Gelöscht", last_name="Person")
    services.cancel(registration=registration)
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=[registration],
        action_flag=CHANGE,
        change_message="",
    )
    pk = registration.pk
    Registration.objects.filter(pk=pk).delete()

    retention.anonymise_due()

    entry = LogEntry.objects.get(object_id=str(pk))
    assert "Gelöscht" not in entry.object_repr
    assert entry.object_repr == retention.anonymised_label(pk)


def test_erasure_action_frees_the_seat_and_moves_the_waiting_list_up(
    admin_client, event, confirmed_registration, queued
):
    services.set_capacity(event=event, capacity=1)
    erika = confirmed_registration(EMAIL, **PERSON)
    waiting = confirmed_registration("warte@example.org", first_name="Wanda")
    assert waiting.status == Status.WAITING
    queued.clear()

    page = admin_client.post(
        CHANGELIST, {"action": "erase_personal_data", "_selected_action": [erika.pk]}
    )
    assert "Das lässt sich nicht rückgängig machen" in page.content.decode()
    response = admin_client.post(
        CHANGELIST,
        {"action": "erase_personal_data", "_selected_action": [erika.pk], "post": "yes"},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any("Die Daten von 1 Person sind gelöscht" in m for m in messages)
    erika.refresh_from_db()
    waiting.refresh_from_db()
    assert (erika.status, erika.first_name, erika.anonymised_at is not None) == (
        Status.CANCELLED,
        "",
        True,
    )
    assert waiting.status == Status.CONFIRMED
    # The person moving up is told; the erased person gets nothing (their email is gone).
    assert [m["to"] for m in queued if "warte@example.org" in str(m["to"])]
    assert erika.emails.count() == 0
    assert traces_of([*PERSON.values(), EMAIL], every_value_in_the_database()) == []
    actions = list(AuditEntry.objects.about(erika).values_list("action", "actor_kind"))
    assert ("anonymised", "organiser") in actions
    assert ("cancelled", "organiser") in actions


def test_access_export_from_the_admin_as_json_and_page(admin_client, event, confirmed_registration):
    erika = confirmed_registration(EMAIL, **PERSON)
    services.update_details(registration=erika, data={"position": "Neue Funktion"})
    deliver_outbox()
    url = reverse("admin:registration_registration_personal_data", args=[erika.pk])

    data = admin_client.get(url, {"format": "json"}).json()
    page = admin_client.get(url).content.decode()

    fields = {f["field"]: f["value"] for f in data["registration"]}
    assert fields["email"] == EMAIL
    assert fields["last_name"] == "Zwiebelmeyer"
    assert fields["position"] == "Neue Funktion"
    assert [h["action"] for h in data["history"]][:3] == ["created", "email_confirmed", "changed"]
    assert data["history"][2]["changes"][0]["old"] == "Referatsleitung Quxwesen"
    assert len(data["emails"]) >= 2
    assert all(erika.manage_token() not in e["text"] for e in data["emails"])
    assert "Zwiebelmeyer" in page and "Neue Funktion" in page
    assert "Änderungsverlauf" in page
    assert AuditEntry.objects.about(erika).filter(action="exported").count() == 2


def test_access_export_needs_staff(client, event, confirmed_registration):
    erika = confirmed_registration(EMAIL)
    url = reverse("admin:registration_registration_personal_data", args=[erika.pk])
    assert client.get(url, {"format": "json"}).status_code == 302  # to the login


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_self_service_download_of_own_data(client, event, confirmed_registration, prefix):
    erika = confirmed_registration(EMAIL, **PERSON)
    url = prefix + reverse("registration:personal_data", args=[erika.manage_token()])

    manage = client.get(prefix + reverse("registration:manage", args=[erika.manage_token()]))
    assert reverse("registration:personal_data", args=[erika.manage_token()]) in (
        manage.content.decode()
    )
    response = client.get(url, {"format": "json"})
    page = client.get(url)

    assert response["Content-Type"].startswith("application/json")
    expected = "meine-daten" if prefix == "" else "my-data"
    assert f'filename="{expected}-' in response["Content-Disposition"]
    assert {f["field"]: f["value"] for f in response.json()["registration"]}["email"] == EMAIL
    assert page.status_code == 200
    assert "Zwiebelmeyer" in page.content.decode()


def test_management_command_anonymises_what_is_due(event, confirmed_registration, settings):
    import io

    from django.core.management import call_command

    settings.INACTIVE_DATA_HOURS = 0
    registration = confirmed_registration("cmd@example.org")
    services.cancel(registration=registration)
    deliver_outbox()
    out = io.StringIO()
    call_command("anonymise_registrations", "--dry-run", stdout=out)
    assert "1 registrations are due" in out.getvalue()
    call_command("anonymise_registrations", stdout=out)
    assert "1 registrations anonymised." in out.getvalue()
    registration.refresh_from_db()
    assert registration.anonymised_at is not None


def test_resending_an_email_that_no_longer_fits_warns_first(admin_client, event, register):
    registration = register("passt@example.org")
    confirm_mail = registration.emails.get(template="registration/confirm_address")
    services.confirm_email(token=registration.confirm_token())
    outbox_list = reverse("admin:mail_outgoingemail_changelist")
    before = OutgoingEmail.objects.count()

    warning = admin_client.post(
        outbox_list, {"action": "resend", "_selected_action": [confirm_mail.pk]}
    )

    assert "passt nicht mehr zum heutigen Stand" in warning.content.decode()
    assert OutgoingEmail.objects.count() == before
    admin_client.post(
        outbox_list,
        {"action": "resend", "_selected_action": [confirm_mail.pk], "resend_stale": "yes"},
    )
    assert OutgoingEmail.objects.count() == before + 1


def test_resending_an_email_that_still_fits_needs_no_warning(admin_client, event, register):
    registration = register("passt2@example.org")
    confirm_mail = registration.emails.get(template="registration/confirm_address")
    before = OutgoingEmail.objects.count()

    admin_client.post(
        reverse("admin:mail_outgoingemail_changelist"),
        {"action": "resend", "_selected_action": [confirm_mail.pk]},
    )

    assert OutgoingEmail.objects.count() == before + 1
