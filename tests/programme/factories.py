import datetime

import factory
from django.utils import timezone

from programme.models import Session, SessionSpeaker, Speaker

DAY = datetime.date(2016, 9, 22)


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(hour, minute)))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Person Nummer{n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    position_de = "Referentin"
    organisation_de = "Beispielstadt"


class SessionFactory(factory.django.DjangoModelFactory):
    """Sessions one after another, each in its own location unless told otherwise."""

    class Meta:
        model = Session

    title_de = factory.Sequence(lambda n: f"Programmpunkt {n}")
    title_en = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"programmpunkt-{n}")
    kind = Session.Kind.TALK
    start = factory.Sequence(lambda n: at(8) + datetime.timedelta(minutes=10 * n))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(minutes=10))
    location_de = factory.Sequence(lambda n: f"Raum {n}")


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    role = SessionSpeaker.Role.SPEAKER
    order = factory.Sequence(lambda n: n)
