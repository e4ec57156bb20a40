"""A calendar file (RFC 5545) for one date of a session, in Brussels time.

Written here rather than with a package: one event and one time zone need some 60 lines, and the rules
that matter are few and tested (tests/group_sessions/test_services.py): CRLF line ends, lines folded at 75
octets, text escaped, a VTIMEZONE for every TZID used, and a UID that stays the same for the date so a
calendar updates the event instead of adding a second one when the file is downloaded again.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

from django.utils import timezone

TZID = "Europe/Brussels"  # always: the sessions are in Mechelen, whatever the server's TIME_ZONE
BRUSSELS = ZoneInfo(TZID)
# Europe/Brussels since 1996: CET in winter, CEST from the last Sunday of March to the last of October.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Brussels",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets go on with CRLF and a space (3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # a continuation line starts with the space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _local(value) -> str:
    """Brussels wall-clock time, written with TZID (the VTIMEZONE above) rather than converted to UTC."""
    return value.astimezone(BRUSSELS).strftime("%Y%m%dT%H%M%S")


def occurrence_uid(occurrence) -> str:
    """The same for a date whatever its title or time later becomes: the session's uuid and the row."""
    return f"{occurrence.session.uuid}-{occurrence.pk}@oefenplein"


def occurrence_ics(*, occurrence, place: str, url: str) -> str:
    session = occurrence.session
    stamp = timezone.now().astimezone(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Stad Mechelen//Oefenplein//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:{occurrence_uid(occurrence)}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={TZID}:{_local(occurrence.starts)}",
        f"DTEND;TZID={TZID}:{_local(occurrence.ends)}",
        f"SUMMARY:{escape_text(session.title)}",
        f"LOCATION:{escape_text(place)}",
        f"URL:{url}",
    ]
    if session.description:
        lines.append(f"DESCRIPTION:{escape_text(session.description)}")
    if occurrence.cancelled_at:
        lines.append("STATUS:CANCELLED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
