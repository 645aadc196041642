"""The organisers' guest list in the admin: summary, search, filters, actions, CSV export,
and who may see it."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from registration import services
from registration.export import neutralise_formula
from registration.models import Registration
from tests.registration.conftest import templates_of

Status = Registration.Status
CHANGELIST = reverse("admin:registration_registration_changelist")
EXPORT = reverse("admin:registration_registration_export")


def seat_numbers(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'<td data-seat="(\w+)">\s*([^<]*?)\s*</td>', html))


def listed_names(response) -> list[str]:
    return [str(r) for r in response.context["cl"].result_list]


def act(client, action, registrations, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [r.pk for r in registrations],
            **extra,
        },
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def body_of(response) -> bytes:
    """The bytes of a download; exports stream from a file (readable once, so kept)."""
    if not hasattr(response, "body_bytes"):
        response.body_bytes = b"".join(response.streaming_content)
        # (The test client closes the response, and so the export's file, once it is read.)
    return response.body_bytes


def read_csv(response) -> list[list[str]]:
    text = body_of(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def full_house(event, register, confirmed_registration):
    """Capacity 3: two confirmed, one live hold, two on the waiting list."""
    services.set_capacity(event=event, capacity=3)
    anna = confirmed_registration("anna@example.org", first_name="Anna", last_name="Adler")
    bernd = confirmed_registration(
        "bernd@example.org", first_name="Bernd", last_name="Bäcker", organisation="Stadt Düren"
    )
    clara = register("clara@example.org", first_name="Clara", last_name="Cramer")
    dora = confirmed_registration("dora@example.org", first_name="Dora", last_name="Dietz")
    emil = confirmed_registration(
        "emil@example.org",
        first_name="Emil",
        last_name="Ernst",
        category="science",
        accessibility_needs="Rollstuhlplatz",
    )
    assert [r.status for r in (anna, bernd, clara, dora, emil)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.HELD,
        Status.WAITING,
        Status.WAITING,
    ]
    return {"anna": anna, "bernd": bernd, "clara": clara, "dora": dora, "emil": emil}


@pytest.mark.django_db
class TestChangelist:
    def test_summary_matches_seat_status(self, admin_client, event, full_house):
        response = admin_client.get(CHANGELIST)

        assert response.status_code == 200
        assert seat_numbers(response) == {
            "capacity": "3",
            "confirmed": "2",
            "held": "1",
            "waiting": "2",
            "free": "0",
            "window": "geöffnet",
        }
        html = response.content.decode()
        assert "<caption>" in html
        assert '<th scope="row">Reserviert (unbestätigt)</th>' in html

    def test_columns_show_name_with_title_and_readable_status(
        self, admin_client, event, confirmed_registration
    ):
        confirmed_registration(
            "prof@example.org", academic_title="Prof. Dr.", first_name="Jörg", last_name="Öz"
        )
        html = admin_client.get(CHANGELIST).content.decode()

        assert "Prof. Dr. Jörg Öz" in html
        assert "Bestätigt" in html
        assert "Kommunalverwaltung" in html

    def test_status_column_shows_place_on_waiting_list(self, admin_client, full_house):
        html = admin_client.get(CHANGELIST, {"status__exact": "waiting"}).content.decode()

        assert "Warteliste (Platz 1)" in html
        assert "Warteliste (Platz 2)" in html

    def test_summary_in_english_under_en(self, admin_client, event, full_house):
        response = admin_client.get("/en" + CHANGELIST)

        assert response.status_code == 200
        assert seat_numbers(response)["window"] == "open"

    @pytest.mark.parametrize(
        "term", ["{code}", "{code_lower}", "{grouped}", "{grouped_lower}", "{spaced}", "{head}"]
    )
    def test_search_by_entry_code_in_any_form(self, admin_client, full_house, term):
        code = full_house["bernd"].entry_code
        forms = {
            "code": code,
            "code_lower": code.lower(),
            "grouped": f"{code[:4]}-{code[4:]}",
            "grouped_lower": f"{code[:4]}-{code[4:]}".lower(),
            "spaced": f" {code[:4]} {code[4:]} ",
            "head": code[:5],
        }
        response = admin_client.get(CHANGELIST, {"q": term.format(**forms)})

        assert "Bernd Bäcker" in listed_names(response)
        if term != "{head}":
            assert listed_names(response) == ["Bernd Bäcker"]

    @pytest.mark.parametrize(
        ("term", "expected"),
        [
            ("Bäcker", ["Bernd Bäcker"]),
            ("Bernd Bäcker", ["Bernd Bäcker"]),
            ("DORA@EXAMPLE.ORG", ["Dora Dietz"]),
            ("Düren", ["Bernd Bäcker"]),
        ],
    )
    def test_search_by_name_email_organisation(self, admin_client, full_house, term, expected):
        assert listed_names(admin_client.get(CHANGELIST, {"q": term})) == expected

    def test_filters_by_status_category_and_accessibility(self, admin_client, full_house):
        waiting = admin_client.get(CHANGELIST, {"status__exact": "waiting"})
        science = admin_client.get(CHANGELIST, {"category__exact": "science"})
        needs = admin_client.get(CHANGELIST, {"accessibility": "yes"})

        assert listed_names(waiting) == ["Dora Dietz", "Emil Ernst"]
        assert listed_names(science) == ["Emil Ernst"]
        assert listed_names(needs) == ["Emil Ernst"]

    def test_query_count_does_not_grow_with_registrations(
        self, admin_client, event, confirmed_registration, django_assert_max_num_queries
    ):
        confirmed_registration("one@example.org")
        with django_assert_max_num_queries(20) as few:
            admin_client.get(CHANGELIST)
        for i in range(15):
            confirmed_registration(f"guest{i}@example.org")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = admin_client.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == 16


@pytest.mark.django_db
class TestActions:
    def test_cancel_asks_first_then_cancels_through_service(
        self, admin_client, event, full_house, queued
    ):
        bernd = full_house["bernd"]
        page = admin_client.post(
            CHANGELIST, {"action": "cancel_registrations", "_selected_action": [bernd.pk]}
        )
        assert page.status_code == 200
        assert "Bernd Bäcker" in page.content.decode()
        bernd.refresh_from_db()
        assert bernd.status == Status.CONFIRMED

        queued.clear()
        response = act(admin_client, "cancel_registrations", [bernd], post="yes")

        bernd.refresh_from_db()
        assert bernd.status == Status.CANCELLED
        assert bernd.cancelled_by == Registration.CancelledBy.ORGANISER
        full_house["dora"].refresh_from_db()
        assert full_house["dora"].status == Status.CONFIRMED  # moved up into the freed seat
        assert templates_of(queued) == ["cancelled", "moved_up"]
        assert [m["to"] for m in queued] == ["bernd@example.org", "dora@example.org"]
        assert any("Bernd Bäcker" in m and "Storniert" in m for m in messages_of(response))
        history = LogEntry.objects.get(object_id=str(bernd.pk))
        assert history.change_message == "Storniert vom Organisationsteam"

    def test_cancel_confirmation_lists_who_stays_unchanged_and_keeps_the_selection(
        self, admin_client, full_house
    ):
        anna, bernd = full_house["anna"], full_house["bernd"]
        services.cancel(registration=anna)

        page = admin_client.post(
            CHANGELIST,
            {"action": "cancel_registrations", "_selected_action": [anna.pk, bernd.pk]},
        )

        content = page.content.decode()
        unchanged = content.split("Nicht mehr aktiv, bleiben unverändert:")[1]
        assert "Anna Adler" in unchanged
        assert "Bernd Bäcker" not in unchanged
        for registration in (anna, bernd):
            assert f'name="_selected_action" value="{registration.pk}"' in content
        assert 'name="action" value="cancel_registrations"' in content

    def test_cancel_leaves_cancelled_ones_alone_and_says_so(self, admin_client, full_house, queued):
        anna = full_house["anna"]
        services.cancel(registration=anna)
        queued.clear()

        response = act(admin_client, "cancel_registrations", [anna], post="yes")

        assert queued == []
        assert any("nicht mehr aktiv" in m for m in messages_of(response))

    def test_confirm_from_waiting_list_refused_without_free_seat(
        self, admin_client, event, full_house, queued
    ):
        emil = full_house["emil"]
        queued.clear()

        page = admin_client.post(
            CHANGELIST, {"action": "confirm_from_waiting_list", "_selected_action": [emil.pk]}
        )
        assert 'name="add_seat"' in page.content.decode()
        response = act(admin_client, "confirm_from_waiting_list", [emil], post="yes")

        emil.refresh_from_db()
        assert emil.status == Status.WAITING
        assert queued == []
        assert any("kein Platz frei" in m and "Emil Ernst" in m for m in messages_of(response))
        event.refresh_from_db()
        assert event.capacity == 3

    def test_confirm_from_waiting_list_with_extra_seat_skips_the_queue(
        self, admin_client, event, full_house, queued
    ):
        emil = full_house["emil"]
        queued.clear()

        response = act(admin_client, "confirm_from_waiting_list", [emil], post="yes", add_seat="on")

        emil.refresh_from_db()
        full_house["dora"].refresh_from_db()
        event.refresh_from_db()
        assert emil.status == Status.CONFIRMED
        assert full_house["dora"].status == Status.WAITING  # the extra seat was for Emil only
        assert event.capacity == 4
        assert templates_of(queued) == ["moved_up"]
        assert queued[0]["to"] == "emil@example.org"
        assert any("Emil Ernst" in m for m in messages_of(response))
        assert services.seat_status(event).free == 0

    def test_confirm_from_waiting_list_refuses_others(self, admin_client, full_house, queued):
        queued.clear()
        response = act(admin_client, "confirm_from_waiting_list", [full_house["anna"]], post="yes")

        assert queued == []
        assert any("nicht auf der Warteliste" in m for m in messages_of(response))

    def test_resend_confirmation_sends_the_email_of_the_status(
        self, admin_client, full_house, queued
    ):
        queued.clear()
        chosen = [full_house["anna"], full_house["clara"], full_house["dora"]]

        response = act(admin_client, "resend_confirmation", chosen)

        assert sorted(zip(templates_of(queued), [m["to"] for m in queued], strict=True)) == [
            ("confirm_address", "clara@example.org"),
            ("confirmed", "anna@example.org"),
            ("waitlisted", "dora@example.org"),
        ]
        text = " ".join(messages_of(response))
        assert "Anna Adler" in text and "Clara Cramer" in text and "Dora Dietz" in text

    def test_resend_link_sends_personal_link_but_not_to_cancelled(
        self, admin_client, full_house, queued
    ):
        services.cancel(registration=full_house["dora"])
        queued.clear()

        response = act(admin_client, "resend_link", [full_house["anna"], full_house["dora"]])

        assert templates_of(queued) == ["your_link"]
        assert queued[0]["to"] == "anna@example.org"
        assert any("Dora Dietz" in m and "nicht mehr aktiv" in m for m in messages_of(response))

    def test_replace_link_revokes_the_old_one_and_sends_a_new_one(
        self, admin_client, full_house, queued
    ):
        anna = full_house["anna"]
        old_token = anna.manage_token()
        queued.clear()

        response = act(admin_client, "replace_link", [anna])

        anna.refresh_from_db()
        assert anna.manage_token() != old_token
        assert not Registration.objects.by_token("manage", old_token).exists()
        assert templates_of(queued) == ["your_link"]
        assert any("Anna Adler" in m for m in messages_of(response))

    def test_bulk_delete_is_not_offered(self, admin_client, full_house):
        response = admin_client.get(CHANGELIST)
        assert "delete_selected" not in response.content.decode()


@pytest.mark.django_db
class TestChangeForm:
    def url(self, registration):
        return reverse("admin:registration_registration_change", args=[registration.pk])

    def form_data(self, registration, **changes):
        data = {
            field: getattr(registration, field) for field in services.DETAIL_FIELDS + ("email",)
        }
        data["participant_list_consent"] = "on" if data["participant_list_consent"] else ""
        data.update(changes)
        return {k: v for k, v in data.items() if v != ""}

    def test_status_code_and_timestamps_read_only_token_hashes_never_shown(
        self, admin_client, full_house
    ):
        anna = full_house["anna"]
        html = admin_client.get(self.url(anna)).content.decode()

        assert 'name="first_name"' in html
        for field in ("status", "entry_code", "confirmed_at", "created_at"):
            assert f'name="{field}"' not in html
        assert anna.entry_code_display in html
        assert anna.manage_token_hash not in html
        assert anna.confirm_token_hash not in html
        assert anna.manage_token() not in html

    def test_edit_goes_through_service_and_tells_the_person(self, admin_client, full_house, queued):
        anna = full_house["anna"]
        queued.clear()

        response = admin_client.post(
            self.url(anna), self.form_data(anna, organisation="Landkreis Görlitz", status="x")
        )

        assert response.status_code == 302
        anna.refresh_from_db()
        assert anna.organisation == "Landkreis Görlitz"
        assert anna.status == Status.CONFIRMED
        assert templates_of(queued) == ["changed"]

    def test_email_taken_by_other_registration_is_a_form_error(self, admin_client, full_house):
        anna = full_house["anna"]
        response = admin_client.post(
            self.url(anna), self.form_data(anna, email="BERND@example.org")
        )

        assert response.status_code == 200
        assert "bereits eine andere Anmeldung" in response.content.decode()
        anna.refresh_from_db()
        assert anna.email == "anna@example.org"

    def test_cancelled_registration_is_read_only_and_active_one_cannot_be_deleted(
        self, admin_client, full_house
    ):
        anna, bernd = full_house["anna"], full_house["bernd"]
        services.cancel(registration=anna)

        assert 'name="first_name"' not in admin_client.get(self.url(anna)).content.decode()
        delete = reverse("admin:registration_registration_delete", args=[bernd.pk])
        assert admin_client.get(delete).status_code == 403


@pytest.mark.django_db
class TestCapacityInEventAdmin:
    """Capacity is edited in one place, the registration window (tests/registration/
    test_admin.py raises it there and the waiting list moves up); the event admin only
    shows it, so no second page can change seats behind the waiting list's back."""

    def test_event_admin_shows_capacity_but_cannot_change_it(
        self, admin_client, event, full_house, queued
    ):
        url = reverse("admin:programme_event_change", args=[event.pk])
        form = admin_client.get(url).context["adminform"].form
        assert "capacity" not in form.fields
        data = {}
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            data[name] = value
        data["capacity"] = 5
        queued.clear()

        response = admin_client.post(url, data)

        assert response.status_code == 302, response.context["adminform"].form.errors
        event.refresh_from_db()
        assert event.capacity == 3
        for person in ("dora", "emil"):
            full_house[person].refresh_from_db()
            assert full_house[person].status == Status.WAITING
        assert templates_of(queued) == []


@pytest.mark.django_db
class TestCsvExport:
    def test_selection_with_bom_semicolons_umlauts_and_escaped_formulas(
        self, admin_client, event, confirmed_registration, register
    ):
        evil = confirmed_registration(
            "evil@example.org",
            first_name='=HYPERLINK("http://x")',
            last_name="Über",
            organisation="+49 Amt",
            position="-Leitung",
            accessibility_needs="@SUM(A1)",
        )
        jorg = confirmed_registration(
            "joerg@example.org", first_name="Jörg", last_name="Müßig", organisation="Gütersloh"
        )
        register("not.selected@example.org", last_name="Nichtdabei")

        response = act(admin_client, "export_csv", [evil, jorg])

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = timezone.localdate().isoformat()
        assert f'filename="gaesteliste-{today}.csv"' in response["Content-Disposition"]
        assert body_of(response).startswith("\ufeff".encode())
        rows = read_csv(response)
        header, *body = rows
        assert header[:3] == ["Name", "Anrede", "Akademischer Titel"]
        for column in ("E-Mail-Adresse", "Funktion", "Einlasscode", "Bedarf an Barrierefreiheit"):
            assert column in header
        by_email = {
            row[header.index("E-Mail-Adresse")]: dict(zip(header, row, strict=True)) for row in body
        }
        assert set(by_email) == {"evil@example.org", "joerg@example.org"}
        assert by_email["joerg@example.org"]["Nachname"] == "Müßig"
        assert by_email["joerg@example.org"]["Organisation"] == "Gütersloh"
        assert by_email["joerg@example.org"]["Einlasscode"] == jorg.entry_code_display
        row = by_email["evil@example.org"]
        assert row["Vorname"] == '\'=HYPERLINK("http://x")'
        assert row["Name"].startswith("'=")
        assert row["Organisation"] == "'+49 Amt"
        assert row["Funktion"] == "'-Leitung"
        assert row["Bedarf an Barrierefreiheit"] == "'@SUM(A1)"
        assert row["Einverstanden mit Teilnehmendenliste"] == "nein"

    def test_export_is_logged_per_person(self, admin_client, admin_user, full_house):
        body_of(act(admin_client, "export_csv", [full_house["anna"], full_house["bernd"]]))

        entries = LogEntry.objects.filter(user=admin_user, change_message__contains="CSV")
        assert sorted(e.object_repr for e in entries) == ["Anna Adler", "Bernd Bäcker"]

    def test_filtered_list_export_exports_all_matching_with_waiting_position(
        self, admin_client, full_house
    ):
        page = admin_client.get(CHANGELIST, {"status__exact": "waiting"})
        csv_link = reverse("admin:registration_registration_export_kind", args=["csv"])
        assert f'href="{csv_link}?status__exact=waiting"' in page.content.decode()

        response = admin_client.get(EXPORT, {"status__exact": "waiting"})

        header, *body = read_csv(response)
        names = [row[header.index("Name")] for row in body]
        positions = [row[header.index("Platz auf der Warteliste")] for row in body]
        assert names == ["Dora Dietz", "Emil Ernst"]
        assert positions == ["1", "2"]

    def test_bad_filter_redirects_instead_of_failing(self, admin_client, full_house):
        response = admin_client.get(EXPORT, {"created_at__gte": "kein Datum"})
        assert response.status_code in (302, 400)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Düren", "Düren"),
            ("a=b", "a=b"),
            ("", ""),
        ],
    )
    def test_neutralise_formula(self, value, expected):
        assert neutralise_formula(value) == expected


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_and_non_staff_are_sent_to_login(self, client, full_house):
        user = User.objects.create_user("guest", password="x")
        for url in (CHANGELIST, EXPORT):
            assert client.get(url).status_code == 302
        client.force_login(user)
        for url in (CHANGELIST, EXPORT):
            response = client.get(url)
            assert response.status_code == 302
            assert "/login/" in response["Location"]

    def test_staff_without_permission_sees_nothing(self, client, full_house):
        staff = User.objects.create_user("staff", password="x", is_staff=True)
        client.force_login(staff)

        assert client.get(CHANGELIST).status_code == 403
        assert client.get(EXPORT).status_code == 403
        response = client.post(
            CHANGELIST,
            {"action": "export_csv", "_selected_action": [full_house["anna"].pk]},
        )
        assert response.status_code == 403

    def test_view_only_staff_may_export_but_not_cancel(self, client, full_house, queued):
        staff = User.objects.create_user("viewer", password="x", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_registration"))
        client.force_login(staff)
        anna = full_house["anna"]

        page = client.get(CHANGELIST).content.decode()
        assert "export_csv" in page
        assert "cancel_registrations" not in page
        queued.clear()
        response = client.post(
            CHANGELIST,
            {"action": "cancel_registrations", "_selected_action": [anna.pk], "post": "yes"},
        )
        anna.refresh_from_db()
        assert anna.status == Status.CONFIRMED
        assert queued == []
        assert response.status_code in (200, 302)
        assert body_of(
            client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [anna.pk]})
        ).startswith("\ufeff".encode())


def test_summary_uses_the_public_seat_numbers_after_a_hold_lapses(
    db, admin_client, event, full_house
):
    Registration.objects.filter(pk=full_house["clara"].pk).update(
        hold_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    numbers = seat_numbers(admin_client.get(CHANGELIST))
    status = services.seat_status(event)

    assert numbers["held"] == str(status.held) == "0"
    assert numbers["free"] == str(status.free) == "1"
