"""The registration as a schema.org `Offer` for the event's JSON-LD (programme/structured_data.py).

Admission is free; the offer's availability follows the seat status, so search engines
do not advertise seats that are gone:

| Registration | availability | also |
|---|---|---|
| open, seats free | `InStock` | |
| open, all seats taken | `SoldOut` | the description names the waiting list |
| not open yet | `InStock` | `validFrom` = opening time ("tickets go on sale") |
| closed | `Discontinued` | `validThrough` = closing time, when one is set |
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.exports import absolute_url
from programme.models import Event
from programme.structured_data import SCHEMA
from registration.models import RegistrationSettings, WindowState
from registration.services import SeatStatus


def admission_offer(event: Event, seats: SeatStatus) -> dict:
    window = RegistrationSettings.for_event(event)
    offer = {
        "@type": "Offer",
        "name": _("Kostenlose Teilnahme mit Anmeldung"),
        "price": "0",
        "priceCurrency": "EUR",
        "url": absolute_url(reverse("registration:form")),
        "inventoryLevel": {"@type": "QuantitativeValue", "value": seats.free},
    }
    if seats.window in (WindowState.CLOSED, WindowState.EVENT_OVER):
        offer["availability"] = f"{SCHEMA}/Discontinued"
        offer["description"] = _("Die Anmeldung ist geschlossen.")
    elif seats.is_full:
        offer["availability"] = f"{SCHEMA}/SoldOut"
        offer["description"] = _("Alle Plätze sind vergeben. Anmeldung auf die Warteliste möglich.")
    else:
        offer["availability"] = f"{SCHEMA}/InStock"
    if window.opens_at:
        offer["validFrom"] = timezone.localtime(window.opens_at).isoformat()
    if window.closes_at:
        offer["validThrough"] = timezone.localtime(window.closes_at).isoformat()
    return offer
