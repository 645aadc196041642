"""Reserved seats: contingents, invitation codes and press accreditation (the rules that
sit on top of the seat rule; registration/pools.py)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter

from outbox import deliver_outbox
from registration import pools, services
from registration.models import Contingent, InvitationCode, Registration
from tests.registration.conftest import VALID, templates_of

Status = Registration.Status


@pytest.fixture(autouse=True)
def _german_urls():
    # A request to an /en/ page leaves English active in the thread; reverse() would then
    # build /en/ admin URLs for the next test.
    with translation.override("de"):
        yield


@pytest.fixture
def small_event(event):
    event.capacity = 10
    event.save()
    return event


@pytest.fixture
def ministry(small_event):
    return Contingent.objects.create(event=small_event, name="BMI", seats=3)


@pytest.fixture
def press(small_event):
    return Contingent.objects.create(event=small_event, name="Presse", seats=2, is_press=True)


def register(event, email, **details):
    data = {**VALID, "email": email, **details}
    return services.submit_registration(event=event, data=data, language="de").registration


def confirmed(event, email, **details):
    registration = register(event, email, **details)
    return services.confirm_email(token=registration.confirm_token())


def fill_public_pool(event, count, prefix="public"):
    return [confirmed(event, f"{prefix}{n}@example.org") for n in range(count)]


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
class TestPools:
    def test_public_pool_is_capacity_less_reserved_seats(self, small_event, ministry, press):
        status = services.seat_status(small_event)
        assert status.free == 5
        assert {use.name: use.free for use in status.contingents} == {"BMI": 3, "Presse": 2}

    def test_home_page_and_form_show_the_public_pools_free_seats(self, client, ministry):
        fill_public_pool(ministry.event, 6)
        page = client.get("/anmeldung/").content.decode()
        assert "Noch 1 Platz frei." in page

    def test_public_full_means_waiting_list_although_contingent_seats_are_free(
        self, small_event, ministry
    ):
        fill_public_pool(small_event, 7)
        late = confirmed(small_event, "late@example.org")
        assert late.status == Status.WAITING
        assert late.contingent is None

    def test_shrinking_a_contingent_takes_no_seat_from_anybody(self, small_event, ministry):
        code = InvitationCode.objects.create(contingent=ministry, max_uses=3)
        holders = [
            confirmed(small_event, f"bmi{n}@example.org", invitation_code=code.code)
            for n in range(3)
        ]
        ministry.seats = 1
        services.save_contingent(contingent=ministry)
        assert all(Registration.objects.get(pk=r.pk).status == Status.CONFIRMED for r in holders)
        uses = pools.pool_uses(small_event, timezone.now())
        assert uses[ministry.pk].free == 0
        assert uses[pools.PUBLIC].seats == 7  # the ministry still reserves its three people

    def test_release_moves_the_public_waiting_list_up_at_once(self, small_event, ministry):
        fill_public_pool(small_event, 7)
        waiting = [confirmed(small_event, f"wait{n}@example.org") for n in range(4)]
        assert [r.status for r in waiting] == [Status.WAITING] * 4

        promoted = services.release_contingent(contingent=ministry)

        assert [r.pk for r in promoted] == [r.pk for r in waiting[:3]]
        assert Registration.objects.get(pk=waiting[3].pk).waiting_position() == 1

    def test_release_at_a_set_date_by_the_periodic_job(self, small_event, ministry):
        ministry.release_at = timezone.now() - datetime.timedelta(minutes=1)
        ministry.save()
        assert services.release_due_contingents() == 1
        ministry.refresh_from_db()
        assert ministry.is_released
        assert services.seat_status(small_event).free == 10

    def test_a_seat_freed_in_a_contingent_goes_to_its_own_waiting_list_first(
        self, small_event, ministry
    ):
        code = InvitationCode.objects.create(contingent=ministry, max_uses=10)
        members = [
            confirmed(small_event, f"bmi{n}@example.org", invitation_code=code.code)
            for n in range(4)
        ]
        fill_public_pool(small_event, 7)
        public_waiting = confirmed(small_event, "public-wait@example.org")
        assert members[3].status == Status.WAITING
        assert members[3].waiting_position() == 1  # first of the ministry's own list
        assert public_waiting.waiting_position() == 1  # first of the public list

        services.cancel(registration=members[0])

        assert Registration.objects.get(pk=members[3].pk).status == Status.CONFIRMED
        assert Registration.objects.get(pk=public_waiting.pk).status == Status.WAITING

    def test_enlarging_a_contingent_moves_its_waiting_list_up(self, small_event, ministry):
        code = InvitationCode.objects.create(contingent=ministry, max_uses=10)
        members = [
            confirmed(small_event, f"bmi{n}@example.org", invitation_code=code.code)
            for n in range(4)
        ]
        ministry.seats = 4
        promoted = services.save_contingent(contingent=ministry)
        assert [r.pk for r in promoted] == [members[3].pk]


@pytest.mark.django_db
class TestInvitationCodes:
    def test_code_seats_its_holder_when_the_public_pool_is_full(self, small_event, ministry):
        fill_public_pool(small_event, 7)
        code = InvitationCode.objects.create(contingent=ministry)
        guest = confirmed(small_event, "guest@example.org", invitation_code=code.code)
        assert guest.status == Status.CONFIRMED
        assert guest.contingent == ministry
        assert guest.invitation_code == code

    @pytest.mark.parametrize(
        "case,message",
        [
            ("unknown", "Diesen Einladungscode kennen wir nicht"),
            ("expired", "Dieser Einladungscode ist abgelaufen"),
            ("used_up", "schon so viele Personen angemeldet"),
        ],
    )
    def test_unusable_code_is_refused_on_the_form_and_nothing_else_changes(
        self, client, small_event, ministry, case, message
    ):
        code = InvitationCode.objects.create(contingent=ministry)
        text = code.code
        if case == "unknown":
            text = "ABCDEFGHJKMN"
        elif case == "expired":
            code.expires_at = timezone.now() - datetime.timedelta(minutes=1)
            code.save()
        else:
            confirmed(small_event, "first@example.org", invitation_code=code.code)
        before = Registration.objects.count()

        response = client.post(
            "/anmeldung/",
            {
                **VALID,
                "email": "second@example.org",
                "privacy_consent": "on",
                "invitation_code": text,
            },
        )

        assert response.status_code == 400
        assert message in response.content.decode()
        assert Registration.objects.count() == before
        # What the person typed is kept.
        assert 'value="second@example.org"' in response.content.decode()

    def test_code_is_accepted_as_typed_or_read_out(self, small_event, ministry):
        code = InvitationCode.objects.create(contingent=ministry)
        typed = f"{code.code_display.lower()} "
        guest = confirmed(small_event, "guest@example.org", invitation_code=typed.replace("-", " "))
        assert guest.invitation_code == code

    def test_wrong_code_flood_is_rate_limited(self, client, small_event, ministry, settings):
        settings.INVITATION_CODE_TRIES_PER_HOUR = 3
        statuses = [
            client.post(
                "/anmeldung/",
                {
                    **VALID,
                    "email": f"try{n}@example.org",
                    "privacy_consent": "on",
                    "invitation_code": f"WRONGCODE{n:03d}",
                },
            ).status_code
            for n in range(5)
        ]
        assert statuses == [400, 400, 400, 429, 429]

    def test_codes_are_long_and_random(self, ministry):
        codes = {InvitationCode.objects.create(contingent=ministry).code for _ in range(50)}
        assert len(codes) == 50
        assert all(len(code) == 12 for code in codes)

    def test_invitation_email_link_fills_in_the_code(self, client, admin_client, ministry):
        code = InvitationCode.objects.create(
            contingent=ministry,
            recipient_name="Dr. Eva Beispiel",
            recipient_email="eva@example.org",
            language="en",
        )
        response = admin_client.post(
            reverse("admin:registration_invitationcode_changelist"),
            {"action": "send_invitations", "_selected_action": [code.pk]},
        )
        assert response.status_code == 302
        deliver_outbox()
        [message] = mail.outbox
        assert message.to == ["eva@example.org"]
        assert "Your personal invitation" in message.subject
        link = next(word for word in message.body.split() if "code=" in word)
        assert link.startswith("http") and f"code={code.code}" in link
        code.refresh_from_db()
        assert code.invited_at is not None

        form = client.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
        assert f'value="{code.code}"' in form.content.decode()


@pytest.mark.django_db
class TestPressAccreditation:
    def test_press_needs_the_media_outlet(self, client, press):
        response = client.post(
            "/anmeldung/", {**VALID, "category": "press", "privacy_consent": "on"}
        )
        assert response.status_code == 400
        assert "Bitte nennen Sie das Medium" in response.content.decode()

    def test_press_waits_for_approval_holding_a_press_seat(self, small_event, press, queued):
        journalist = confirmed(
            small_event, "presse@example.org", category="press", media_outlet="Tagesspiegel"
        )
        assert journalist.status == Status.AWAITING_APPROVAL
        assert journalist.contingent == press
        assert journalist.hold_expires_at > timezone.now() + datetime.timedelta(days=6)
        assert templates_of(queued)[-1] == "accreditation_pending"
        assert pools.pool_uses(small_event, timezone.now())[press.pk].taken == 1

    def test_approval_confirms_and_sends_the_entry_code(self, small_event, press, queued):
        journalist = confirmed(small_event, "p@example.org", category="press", media_outlet="dpa")
        approved = services.approve_accreditation(registration=journalist)
        assert approved.status == Status.CONFIRMED
        assert approved.accreditation == Registration.Accreditation.APPROVED
        assert templates_of(queued)[-1] == "accreditation_approved"
        assert len(queued[-1]["attachments"]) == 2  # calendar and QR code

    def test_decline_frees_the_press_seat_for_the_next_journalist(self, small_event, press, queued):
        first, second = (
            confirmed(small_event, f"p{n}@example.org", category="press", media_outlet="dpa")
            for n in range(2)
        )
        third = confirmed(small_event, "p3@example.org", category="press", media_outlet="rbb")
        assert third.status == Status.WAITING

        services.decline_accreditation(registration=first)

        assert Registration.objects.get(pk=first.pk).status == Status.CANCELLED
        assert Registration.objects.get(pk=third.pk).status == Status.AWAITING_APPROVAL
        assert "accreditation_declined" in templates_of(queued)

    def test_undecided_accreditation_lapses_with_a_fitting_email(self, small_event, press, queued):
        journalist = confirmed(small_event, "p@example.org", category="press", media_outlet="dpa")
        Registration.objects.filter(pk=journalist.pk).update(
            hold_expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        services.expire_holds()
        assert Registration.objects.get(pk=journalist.pk).status == Status.EXPIRED
        assert queued[-1]["context"]["press_review_lapsed"] is True

    @pytest.mark.parametrize(
        "name,content,accepted",
        [
            ("ausweis.pdf", pdf_bytes(), True),
            ("ausweis.png", png_bytes(), True),
            ("ausweis.pdf", b"%PDF-1.7 not really a pdf", False),
            ("ausweis.pdf", b"MZ\x90\x00 an executable", False),
            ("ausweis.png", b"GIF89a" + b"\x00" * 20, False),
        ],
    )
    def test_press_document_is_checked_by_its_content(self, client, press, name, content, accepted):
        response = client.post(
            "/anmeldung/",
            {
                **VALID,
                "category": "press",
                "media_outlet": "dpa",
                "privacy_consent": "on",
                "press_document": SimpleUploadedFile(name, content),
            },
        )
        assert (response.status_code == 302) is accepted
        if accepted:
            registration = Registration.objects.get()
            assert registration.press_document
            assert "/media/" not in registration.press_document.path
        else:
            assert Registration.objects.count() == 0
            assert 'id="id_press_document_error"' in response.content.decode()

    def test_press_document_is_for_organisers_only(self, client, admin_client, press):
        client.post(
            "/anmeldung/",
            {
                **VALID,
                "category": "press",
                "media_outlet": "dpa",
                "privacy_consent": "on",
                "press_document": SimpleUploadedFile("a.pdf", pdf_bytes()),
            },
        )
        registration = Registration.objects.get()
        url = reverse("admin:registration_registration_press_document", args=[registration.pk])

        assert client.get(url).status_code == 302  # to the admin login
        download = admin_client.get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"%PDF-")

    def test_other_categories_drop_press_fields(self, small_event, press):
        person = confirmed(small_event, "x@example.org", category="science", media_outlet="dpa")
        assert person.media_outlet == ""
        assert person.contingent is None
        assert person.accreditation == ""


@pytest.mark.django_db
class TestGuestList:
    def test_guest_list_shows_and_filters_the_contingent(self, admin_client, small_event, ministry):
        code = InvitationCode.objects.create(contingent=ministry)
        confirmed(small_event, "bmi@example.org", invitation_code=code.code, last_name="Amtlich")
        confirmed(small_event, "public@example.org", last_name="Offen")
        url = reverse("admin:registration_registration_changelist")

        everybody = admin_client.get(url).content.decode()
        only_ministry = admin_client.get(url, {"contingent__id__exact": ministry.pk})

        assert "BMI" in everybody
        assert "Amtlich" in only_ministry.content.decode()
        assert "Offen" not in only_ministry.content.decode()

    def test_contingent_list_shows_use(self, admin_client, small_event, ministry):
        code = InvitationCode.objects.create(contingent=ministry, max_uses=2)
        confirmed(small_event, "bmi@example.org", invitation_code=code.code)
        page = admin_client.get(reverse("admin:registration_contingent_changelist"))
        assert page.status_code == 200
        cells = page.content.decode()
        assert '<td class="field-taken">1</td>' in cells
        assert '<td class="field-free">2</td>' in cells

    def test_contingents_may_not_reserve_more_than_the_capacity(self, admin_client, ministry):
        response = admin_client.post(
            reverse("admin:registration_contingent_add"),
            {"event": ministry.event.pk, "name": "Zu groß", "seats": 8},
        )
        assert response.status_code == 200
        assert "hat aber nur 10" in response.content.decode()


@pytest.mark.django_db
class TestPressEmailsOverSmtp:
    """The accreditation emails as they arrive at a real SMTP server, in each language."""

    def test_approval_and_decline_reach_each_journalist_in_their_language(
        self, small_event, press, smtp_server
    ):
        from tests.registration.test_lifecycle import Mailbox, subject, text_of

        mailbox = Mailbox(smtp_server)
        german = register(
            small_event, "de@example.org", category="press", media_outlet="Tagesspiegel"
        )
        english = services.submit_registration(
            event=small_event,
            data={**VALID, "email": "en@example.org", "category": "press", "media_outlet": "BBC"},
            language="en",
        ).registration
        for registration in (german, english):
            services.confirm_email(token=registration.confirm_token())
        mailbox.new()  # the confirmation links and "we are checking" messages

        services.approve_accreditation(registration=german)
        approved = mailbox.one("de@example.org")
        assert subject(approved) == "Ihre Akkreditierung ist bestätigt"
        assert german.entry_code[:4] in text_of(approved)
        assert [part.get_filename() for part in approved.iter_attachments()] == [
            "veranstaltung.ics",
            f"einlasscode-{german.entry_code_display}.png",
        ]

        services.decline_accreditation(registration=english)
        declined = mailbox.one("en@example.org")
        assert subject(declined) == "Your accreditation"
        assert "unfortunately we cannot approve your accreditation" in text_of(declined)
        assert "Einlasscode" not in text_of(declined)


class TestSeatCountsStatement:
    """pools._seat_counts is the taken_filter rule written as one SQL statement (the
    sign-up's hot path). On any mix of statuses, hold times and contingents it must give
    what the ORM query of that rule gives."""

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        rows=st.lists(
            st.tuples(
                st.sampled_from([s.value for s in Registration.Status]),
                st.sampled_from([-90, -1, 1, 90]),  # the deadline, minutes from now
                st.sampled_from([None, "ministry", "press"]),
            ),
            max_size=25,
        ),
        exclude_first=st.booleans(),
    )
    def test_same_counts_as_the_orm_rule(self, small_event, rows, exclude_first):
        from django.db.models import Count, Q

        Registration.objects.filter(event=small_event).delete()
        Contingent.objects.filter(event=small_event).delete()
        contingents = {
            "ministry": Contingent.objects.create(event=small_event, name="Ministerium", seats=3),
            "press": Contingent.objects.create(event=small_event, name="Presse", seats=2),
        }
        now = timezone.now()
        created = []
        for number, (status, minutes, contingent) in enumerate(rows):
            # Each status with the dates the database's constraints require of it.
            dates = {
                "held": {"hold_expires_at": now + datetime.timedelta(minutes=minutes)},
                "unconfirmed": {"hold_expires_at": now + datetime.timedelta(minutes=minutes)},
                "awaiting_approval": {
                    "hold_expires_at": now + datetime.timedelta(minutes=minutes),
                    "accreditation": "pending",
                },
                "confirmed": {"confirmed_at": now, "email_confirmed_at": now},
                "waiting": {"waitlisted_at": now, "email_confirmed_at": now},
                "cancelled": {"cancelled_at": now},
            }.get(status, {})
            created.append(
                Registration.objects.create(
                    event=small_event,
                    email=f"row{number}@example.org",
                    status=status,
                    contingent=contingents.get(contingent),
                    privacy_consent_version="test",
                    privacy_consented_at=now,
                    **dates,
                )
            )
        exclude_pk = created[0].pk if exclude_first and created else None

        expected_rows = Registration.objects.filter(event=small_event)
        if exclude_pk is not None:
            expected_rows = expected_rows.exclude(pk=exclude_pk)
        expected = {
            row["contingent_id"]: {"taken": row["taken"], "waiting": row["waiting"]}
            for row in expected_rows.values("contingent_id").annotate(
                taken=Count("pk", filter=pools.taken_filter(now)),
                waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
            )
            if row["taken"] or row["waiting"]
        }
        counted = pools._seat_counts(small_event.pk, now, exclude_pk=exclude_pk)
        assert {key: row for key, row in counted.items() if row["taken"] or row["waiting"]} == (
            expected
        )
