"""Training moments: a programme item that is done by being at a staff training session.

The group sessions app owns sessions and attendance and imports training, never the other way round,
so it registers a provider here at start-up. A provider answers, for some people and programmes, when
each person last attended a training moment of that programme, as recorded by whoever ran it (the
manager or organiser ticked them present on the attendance list). That record is the evidence: a
person cannot mark themselves present, so it counts like a server-checked completion.
"""

from collections.abc import Callable
from datetime import datetime

# provider(*, user_ids, programme_ids) -> {(user id, programme id): latest attended start}
Provider = Callable[..., dict[tuple[int, int], datetime]]
_providers: list[Provider] = []


def moment_attendance_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def moments_attended(*, user_ids, programme_ids) -> dict[tuple[int, int], datetime]:
    attended: dict[tuple[int, int], datetime] = {}
    if not programme_ids:
        return attended
    for provider in _providers:
        for key, when in provider(user_ids=list(user_ids), programme_ids=list(programme_ids)).items():
            if key not in attended or when > attended[key]:
                attended[key] = when
    return attended
