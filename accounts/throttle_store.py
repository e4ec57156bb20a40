"""The database stand-in for Redis of accounts/throttle.py: the few cache calls it makes, on a table.

Used only while Redis is unreachable, so the normal path costs no query. The calls keep the cache's
meaning: `add` writes only a missing (or expired) key, `incr` of a missing key raises ValueError.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ThrottleCounter


def _live():
    return ThrottleCounter.objects.filter(expires_at__gt=timezone.now())


def _expires(timeout) -> timezone.datetime:
    return timezone.now() + timedelta(seconds=timeout)


class DatabaseCounters:
    def get(self, key, default=None):
        value = _live().filter(key=key).values_list("value", flat=True).first()
        return default if value is None else value

    def get_many(self, keys) -> dict:
        return dict(_live().filter(key__in=list(keys)).values_list("key", "value"))

    def add(self, key, value, timeout) -> bool:
        # Expired rows of every key go here: the table only ever holds what an outage wrote.
        ThrottleCounter.objects.filter(expires_at__lte=timezone.now()).delete()
        try:
            with transaction.atomic():
                _row, created = ThrottleCounter.objects.get_or_create(
                    key=key, defaults={"value": value, "expires_at": _expires(timeout)}
                )
        except IntegrityError:  # another request added it first
            created = False
        return created

    def incr(self, key, delta=1) -> int:
        with transaction.atomic():
            if not _live().filter(key=key).update(value=F("value") + delta):
                raise ValueError(f"Key {key!r} not found")
            return int(_live().values_list("value", flat=True).get(key=key))

    def set(self, key, value, timeout) -> None:
        try:
            with transaction.atomic():
                ThrottleCounter.objects.update_or_create(
                    key=key, defaults={"value": value, "expires_at": _expires(timeout)}
                )
        except IntegrityError:  # created by another request meanwhile: overwrite it
            ThrottleCounter.objects.filter(key=key).update(value=value, expires_at=_expires(timeout))

    def delete(self, key) -> None:
        ThrottleCounter.objects.filter(key=key).delete()

    def delete_many(self, keys) -> None:
        ThrottleCounter.objects.filter(key__in=list(keys)).delete()


DATABASE = DatabaseCounters()
