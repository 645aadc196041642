"""The door's service worker, as the server hands it out: served from the door's folder
(so its scope is the door), never cached stale, and listing exactly the files the door
page loads, so a reload while offline finds everything it needs."""

import json
import re

import pytest
from django.templatetags.static import static

from registration.checkin_views import DOOR_ASSETS, OFFLINE_SHELL_HEADER


@pytest.fixture
def door(client, door_group, django_user_model):
    user = django_user_model.objects.create_user("anna", password="pw-door-123", is_staff=True)
    user.groups.add(door_group)
    client.force_login(user)
    return client


def worker_constants(response) -> dict:
    script = response.content.decode()
    return {
        name: json.loads(value)
        for name, value in re.findall(r"^const (DOOR|ASSETS) = (.+);$", script, re.M)
    }


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_worker_is_served_from_the_door_folder_with_the_door_and_its_files(client, event, prefix):
    response = client.get(f"{prefix}/checkin/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    constants = worker_constants(response)
    assert constants["DOOR"] == f"{prefix}/checkin/"
    assert constants["ASSETS"] == [static(path) for path in DOOR_ASSETS]


def test_worker_lists_every_file_the_door_page_loads(door, event):
    page = door.get("/checkin/").content.decode()
    loaded = set(re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', page))

    worker = worker_constants(door.get("/checkin/sw.js"))

    assert loaded
    assert loaded == set(worker["ASSETS"])


def test_door_page_names_the_worker_and_its_scope(door, event):
    page = door.get("/en/checkin/").content.decode()
    assert 'data-service-worker-url="/en/checkin/sw.js"' in page
    assert 'data-door-url="/en/checkin/"' in page


def test_worker_is_a_script_the_strict_policy_allows(client, event):
    response = client.get("/checkin/sw.js")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src" not in policy and "worker-src" not in policy  # 'self' applies


def test_only_the_empty_door_page_is_marked_for_the_offline_copy(
    door, event, confirmed_registration
):
    """The worker keeps a door page only when the server marks it as the empty page: a
    result after a plain form, or search results, name guests and are news once (the
    worker's side: tests/browser/test_checkin_browser.py)."""
    guest = confirmed_registration("erika@example.org", last_name="Müßig")
    assert door.get("/checkin/")[OFFLINE_SHELL_HEADER] == "1"

    door.post(f"/checkin/{guest.pk}/einlassen/")
    after_check_in = door.get("/checkin/")
    assert '<p class="door-result-title">EINLASS</p>' in after_check_in.content.decode()
    assert OFFLINE_SHELL_HEADER not in after_check_in

    search = door.get("/checkin/", {"q": guest.last_name})
    assert guest.last_name in search.content.decode()
    assert OFFLINE_SHELL_HEADER not in search

    # The result is shown once; the next page is the empty one again.
    again = door.get("/checkin/")
    assert 'class="door-result-title"' not in again.content.decode()
    assert again[OFFLINE_SHELL_HEADER] == "1"
