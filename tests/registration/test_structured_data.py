"""The home page's Event offer follows the seat status (parsed with extruct)."""

import pytest

from registration.models import RegistrationSettings
from tests.structured import json_ld

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
SITE = "https://veranstaltung.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE


def offer(client) -> dict:
    [data] = [item for item in json_ld(client, "/") if item["@type"] == "Event"]
    return data["offers"]


def test_free_seats_are_in_stock_at_no_charge(client, event):
    data = offer(client)

    assert data["@type"] == "Offer"
    assert data["price"] == "0"
    assert data["priceCurrency"] == "EUR"
    assert data["availability"] == SCHEMA + "InStock"
    assert data["inventoryLevel"]["value"] == 200
    assert data["url"] == SITE + "/anmeldung/"


def test_full_event_is_sold_out_and_names_the_waiting_list(client, event, confirmed_registration):
    event.capacity = 1
    event.save()
    confirmed_registration("erika@example.org")

    data = offer(client)

    assert data["availability"] == SCHEMA + "SoldOut"
    assert "Warteliste" in data["description"]
    assert data["inventoryLevel"]["value"] == 0


def test_closed_registration_is_no_longer_offered(client, event):
    RegistrationSettings.objects.update_or_create(event=event, defaults={"closed_manually": True})

    data = offer(client)

    assert data["availability"] == SCHEMA + "Discontinued"
    assert data["description"] == "Die Anmeldung ist geschlossen."


def test_registration_not_yet_open_names_its_opening_time(client, event):
    import datetime

    from django.utils import timezone

    opens = timezone.now() + datetime.timedelta(days=3)
    RegistrationSettings.objects.update_or_create(event=event, defaults={"opens_at": opens})

    data = offer(client)

    assert data["availability"] == SCHEMA + "InStock"
    assert data["validFrom"] == timezone.localtime(opens).isoformat()
