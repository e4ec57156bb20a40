"""Counting wrong sign-in tries, so that a PIN or a picture password cannot be guessed.

A PIN has 10,000 possibilities and a picture password 1,728, so wrong tries must stop early, and must
stay slow over a whole day, not only over a quarter of an hour:

* per learner code (`CODE`): `SIGN_IN_CODE_LIMIT` wrong tries pause that code;
* per client address (`ADDRESS`): `SIGN_IN_ADDRESS_LIMIT` wrong PINs, pictures or unknown codes pause
  learner-code sign-in for the whole place; it also counts codes that do not exist, so nobody can try
  codes one after another. An IPv6 address counts per /64, because one computer easily has many;
* per client address for passwords (`PASSWORD_ADDRESS`), with the same limit, kept apart so that learners
  who mistype their PIN never stop the coach at the same place from signing in with a password;
* per user name for password sign-in (`SIGN_IN_USERNAME_LIMIT`), also for the Wagtail admin sign-in,
  because the check sits in the authentication backend (see accounts.backends).

A count lives `SIGN_IN_WINDOW_SECONDS` (a day) from its first wrong try, so wrong tries spread thinly over
the day add up too. Reaching the limit pauses the value; each further pause of the same value within a
quiet window after the last one lasts twice as long (`SIGN_IN_LOCK_SECONDS`, then double, up to
`SIGN_IN_LOCK_MAX_SECONDS`). `throttle_worst_case` works out how many wrong tries that allows in a day; the
README gives the figures. A coach can lift a pause (`throttle_clear`), and a learner whose code is paused
can still sign in with a one-time code from their coach (accounts.services).

Why the Django cache and not django-axes: axes keeps one failure limit for all its lockout
parameters, while we need different limits; it writes an attempt row to the database on every
failure; and it only sees username/password authentication, so the code + PIN path, the unknown-code
lookups and the coach's "unlock" would all need custom glue. A counter in the cache is a few lines: in
production the cache is Redis, whose INCRBY is atomic (django-redis runs it in a Lua script), and the
local-memory cache of the embedded default increments under a lock. Values are hashed in the keys, so the
cache holds no user names, codes or addresses.

Without Redis (killed, restarted, stalled past `CACHE_SOCKET_TIMEOUT`) sign-in must neither stop nor go
unguarded, so every call then runs on a small database table instead (accounts/throttle_store.py,
`ThrottleCounter`): the same limits, counted from zero. The table is read only while Redis fails, so the
normal path costs no query. What this gives away: a value's count and pause from before the outage are not
seen during it, and what was counted during it is not seen after it; at most one extra full count
(`SIGN_IN_*_LIMIT` tries, e.g. 5 PINs out of 10,000) per value and outage. A coach's unlock clears both.
"""

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.dateformat import format as date_format
from redis.exceptions import RedisError

from learn.client_address import client_ip

from .throttle_store import DATABASE

logger = logging.getLogger(__name__)

CODE = "code"
ADDRESS = "address"
PASSWORD_ADDRESS = "password-address"
USERNAME = "username"

_LIMIT_SETTINGS = {
    CODE: "SIGN_IN_CODE_LIMIT",
    ADDRESS: "SIGN_IN_ADDRESS_LIMIT",
    PASSWORD_ADDRESS: "SIGN_IN_ADDRESS_LIMIT",
    USERNAME: "SIGN_IN_USERNAME_LIMIT",
}
DAY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Failure:
    tries_left: int  # 0 means: now locked
    locked_until: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.tries_left <= 0


def _keys(scope: str, value: str) -> tuple[str, str, str]:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:40]
    return f"signin:count:{digest}", f"signin:lock:{digest}", f"signin:strikes:{digest}"


def _with_counters(operation):
    """Run `operation(store)` on Redis (the `counters` cache); while Redis is unreachable, on the database."""
    try:
        return operation(caches["counters"])
    except RedisError as error:
        logger.warning("sign-in counters on the database: Redis is unreachable (%s)", error.__class__.__name__)
        return operation(DATABASE)


def _normal(scope: str, value: str) -> str:
    return value.strip().lower() if scope == USERNAME else value


def _until(stamp) -> datetime | None:
    """A lock's end, from the stored Unix time (older locks stored 1: their end is unknown, say 'soon')."""
    try:
        stamp = float(stamp)
    except (TypeError, ValueError):
        return None
    if stamp < 1_000_000_000:
        stamp = time.time() + settings.SIGN_IN_LOCK_SECONDS
    return datetime.fromtimestamp(stamp, tz=timezone.get_current_timezone())


def throttle_limit(*, scope: str) -> int:
    return int(getattr(settings, _LIMIT_SETTINGS[scope]))


def throttle_lock_seconds(*, strike: int) -> int:
    """How long the n-th pause in a row lasts: the first `SIGN_IN_LOCK_SECONDS`, then twice as long, capped."""
    first, longest = (
        settings.SIGN_IN_LOCK_SECONDS,
        max(settings.SIGN_IN_LOCK_MAX_SECONDS, settings.SIGN_IN_LOCK_SECONDS),
    )
    return int(min(longest, first * 2 ** min(max(strike, 1) - 1, 32)))


def throttle_worst_case(*, scope: str, seconds: int = DAY_SECONDS) -> int:
    """The most wrong tries one value allows within `seconds`, starting fresh: a full count, a pause, again.

    The first period is the worst: pauses only grow while the value keeps failing.
    """
    limit, elapsed, strike, tries = throttle_limit(scope=scope), 0, 0, 0
    while elapsed < seconds:
        tries += limit
        strike += 1
        elapsed += throttle_lock_seconds(strike=strike)
    return tries


def throttle_locked_until(*, scope: str, value: str) -> datetime | None:
    """When the pause of this value ends, or None when it is not paused."""
    if not value:
        return None
    _count_key, lock_key, _strikes_key = _keys(scope, _normal(scope, value))
    return _until(_with_counters(lambda store: store.get(lock_key)))


def throttle_locked(*, scope: str, value: str) -> bool:
    return throttle_locked_until(scope=scope, value=value) is not None


def throttle_locked_values(*, scope: str, values: list[str]) -> dict[str, datetime]:
    """Which of these values are paused, and until when, in one cache round trip (for the coach's lists)."""
    lock_keys = {_keys(scope, _normal(scope, value))[1]: value for value in values if value}
    found = _with_counters(lambda store: store.get_many(list(lock_keys)))
    return {lock_keys[key]: _until(stamp) for key, stamp in found.items()}


def throttle_failure(*, scope: str, value: str) -> Failure:
    """Count one wrong try; pause the value when the limit is reached, longer each time in a row."""
    limit = throttle_limit(scope=scope)
    if not value:
        return Failure(tries_left=limit)
    return _with_counters(lambda store: _failure_count(store, limit, *_keys(scope, _normal(scope, value))))


def _failure_count(cache, limit: int, count_key: str, lock_key: str, strikes_key: str) -> Failure:
    window = settings.SIGN_IN_WINDOW_SECONDS
    cache.add(count_key, 0, window)
    try:
        count = cache.incr(count_key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(count_key, 1, window)
        count = 1
    if count < limit:
        return Failure(tries_left=limit - count)
    cache.add(strikes_key, 0, window)
    try:
        strike = cache.incr(strikes_key)
    except ValueError:
        strike = 1
    seconds = throttle_lock_seconds(strike=strike)
    ends = time.time() + seconds
    cache.set(lock_key, ends, seconds)
    # The pauses keep growing until the value has been quiet for a whole window after the last one.
    cache.set(strikes_key, strike, seconds + window)
    cache.delete(count_key)
    return Failure(tries_left=0, locked_until=_until(ends))


def throttle_success(*, scope: str, value: str) -> None:
    """A right PIN or password starts the count again; earlier pauses still make the next one longer, so
    someone who guesses between the owner's sign-ins gains a few tries, not a fresh short pause."""
    if value:
        count_key = _keys(scope, _normal(scope, value))[0]
        _with_counters(lambda store: store.delete(count_key))


def throttle_clear(*, scope: str, value: str) -> None:
    """Forget everything about this value: its count, its pause and earlier pauses (a coach's unlock)."""
    if value:
        keys = list(_keys(scope, _normal(scope, value)))
        _with_counters(lambda store: store.delete_many(keys))
        DATABASE.delete_many(keys)  # what an outage counted must not come back at the next one


def address_bucket(address: str) -> str:
    """The unit wrong tries are counted for: an IPv4 address, or the /64 network of an IPv6 address.

    One IPv6 connection usually gets a whole /64 (2^64 addresses), so counting single IPv6 addresses would
    let one computer start afresh with every try.
    """
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_address(*, request) -> str:
    """The address (IPv4, or IPv6 /64) wrong tries are counted against: `client_ip`, bucketed."""
    return address_bucket(client_ip(request=request))


def lock_time_text(until: datetime | None) -> str:
    """'14:35' today, '8 December 14:35' another day: when a pause ends, in the active language."""
    if until is None:
        until = timezone.now() + timedelta(seconds=settings.SIGN_IN_LOCK_SECONDS)
    local = timezone.localtime(until)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    return date_format(local, "j F H:i")
