"""Counting wrong sign-in tries, so that a PIN or a picture password cannot be guessed.

A PIN has 10,000 possibilities and a picture password 1,728, so wrong tries must stop early:

* per learner code: `SIGN_IN_CODE_LIMIT` wrong tries within `SIGN_IN_WINDOW_SECONDS` pause that
  code for `SIGN_IN_LOCK_SECONDS`; a coach can lift the pause (`throttle_clear`);
* per client address: a higher limit (`SIGN_IN_ADDRESS_LIMIT`), because a whole surf point shares one
  address; it also counts codes that do not exist, so nobody can try codes one after another;
* per user name for password sign-in (`SIGN_IN_USERNAME_LIMIT`), also for the Wagtail admin sign-in,
  because the check sits in the authentication backend (see accounts.backends).

Why the Django cache and not django-axes: axes keeps one failure limit for all its lockout
parameters, while we need three different limits; it writes an attempt row to the database on every
failure; and it only sees username/password authentication, so the code + PIN path, the unknown-code
lookups and the coach's "unlock" would all need custom glue. A counter in the cache is a few lines: in
production the cache is Redis, whose INCRBY is atomic (django-redis runs it in a Lua script), and the
local-memory cache of the embedded default increments under a lock. The counter expires with its
window; reaching the limit sets a separate lock key with its own expiry and starts a new count.
Values are hashed in the keys, so the cache holds no user names, codes or addresses.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

CODE = "code"
ADDRESS = "address"
USERNAME = "username"

_LIMIT_SETTINGS = {CODE: "SIGN_IN_CODE_LIMIT", ADDRESS: "SIGN_IN_ADDRESS_LIMIT", USERNAME: "SIGN_IN_USERNAME_LIMIT"}


@dataclass(frozen=True)
class Failure:
    tries_left: int  # 0 means: now locked

    @property
    def locked(self) -> bool:
        return self.tries_left <= 0


def _keys(scope: str, value: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:40]
    return f"signin:count:{digest}", f"signin:lock:{digest}"


def _normal(scope: str, value: str) -> str:
    return value.strip().lower() if scope == USERNAME else value


def throttle_limit(*, scope: str) -> int:
    return int(getattr(settings, _LIMIT_SETTINGS[scope]))


def throttle_locked(*, scope: str, value: str) -> bool:
    if not value:
        return False
    _count_key, lock_key = _keys(scope, _normal(scope, value))
    return cache.get(lock_key) is not None


def throttle_locked_values(*, scope: str, values: list[str]) -> set[str]:
    """Which of these values are locked, in one cache round trip (for the coach's list)."""
    lock_keys = {_keys(scope, _normal(scope, value))[1]: value for value in values if value}
    found = cache.get_many(list(lock_keys))
    return {lock_keys[key] for key in found}


def throttle_failure(*, scope: str, value: str) -> Failure:
    """Count one wrong try; lock when the limit is reached."""
    limit = throttle_limit(scope=scope)
    if not value:
        return Failure(tries_left=limit)
    count_key, lock_key = _keys(scope, _normal(scope, value))
    window = settings.SIGN_IN_WINDOW_SECONDS
    cache.add(count_key, 0, window)
    try:
        count = cache.incr(count_key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(count_key, 1, window)
        count = 1
    if count >= limit:
        cache.set(lock_key, 1, settings.SIGN_IN_LOCK_SECONDS)
        cache.delete(count_key)
        return Failure(tries_left=0)
    return Failure(tries_left=limit - count)


def throttle_clear(*, scope: str, value: str) -> None:
    if value:
        cache.delete_many(list(_keys(scope, _normal(scope, value))))


def client_address(*, request) -> str:
    """The address wrong tries are counted against.

    Behind `TRUSTED_PROXY_COUNT` reverse proxies (each appending to X-Forwarded-For), the client is the
    entry that many places from the end; anything before it was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
