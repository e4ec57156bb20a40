"""Help points (a snippet per language, linked by translation key) with their opening times."""

import uuid
from datetime import time

import factory
from factory.django import DjangoModelFactory

from lessons.choices import District, HelpPointKind
from lessons.models import HelpPoint, HelpPointOpeningTime

from .pages import locale


class HelpPointFactory(DjangoModelFactory):
    """A Dutch help point. `opening_times=[(weekday, "09:00", "12:00"), ...]` (Monday is 0) adds times."""

    class Meta:
        model = HelpPoint
        skip_postgeneration_save = True

    locale = factory.LazyFunction(lambda: locale())
    translation_key = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda n: f"Digibankpunt {n}")
    kind = HelpPointKind.DIGIBANK
    street = factory.Sequence(lambda n: f"Kerkstraat {n + 1}")
    district = District.CENTRE
    opening_hours = "Dinsdag 9:00 tot 12:00"
    sort_order = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def opening_times(point, create, extracted, **kwargs):
        for position, (weekday, opens, closes) in enumerate(extracted or ()):
            HelpPointOpeningTime.objects.create(
                help_point=point,
                weekday=weekday,
                opens=time.fromisoformat(opens),
                closes=time.fromisoformat(closes),
                sort_order=position,
            )


def help_point_translation(point, language: str, **fields) -> HelpPoint:
    """The same place in another language (same translation key and address, its own texts)."""
    copy = point.copy_for_translation(locale(language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy
