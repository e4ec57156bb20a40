"""Demo sessions for the embedded default, from the city's offer (shared/briefs/allemaal-digitaal-mechelen.txt):
the digidokters monthly in the library, workshops for young people in the Predikheren library, a webinar on
privacy-friendly apps, and a training moment for staff. Run after load_demo, load_demo_coaching and
load_demo_training. A second run changes nothing.

Made here as the city's editors would make them (any help point), with the demo coach and the demo
training manager as organisers, so the coach's own-help-point rule of the organiser pages does not apply.
"""

from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_COACH, DEMO_LEARNER
from lessons.models import HelpPoint, ModulePage
from sandboxes.models import Scenario

from .models import BookingStatus, GroupSession, SeatBooking, SessionItem, SessionKind
from .occurrences import _nth_weekday, occurrences_sync

DEMO_MANAGER = "manager"
DIGIDOKTER = "Digidokter in de bibliotheek"


def _first_tuesday_after(day: date) -> date:
    year, month = day.year, day.month
    while True:
        tuesday = _nth_weekday(year, month, 1, 1)
        if tuesday > day:
            return tuesday
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


def _point(name: str):
    return HelpPoint.objects.filter(locale__language_code="nl", name__icontains=name).first()


def demo_sessions_ensure(*, today: date | None = None) -> int | None:
    """Make the demo sessions that are missing; answer how many were made (None without demo users)."""
    today = today or timezone.localdate()
    User = get_user_model()
    coach = User.objects.filter(username=DEMO_COACH).first()
    learner = User.objects.filter(username=DEMO_LEARNER).first()
    manager = User.objects.filter(username=DEMO_MANAGER).first()
    library, city_hall = _point("Predikheren"), _point("Huis van de Mechelaar")
    modules = list(ModulePage.objects.live().filter(locale__language_code="nl").order_by("path"))
    if coach is None or learner is None or library is None or not modules:
        return None
    train = Scenario.objects.filter(slug="train", locale__language_code="nl").first()
    smartphone, *others = modules
    phishing = next((module for module in others if "phishing" in module.slug), others[0] if others else smartphone)
    sessions = [
        {
            "kind": SessionKind.DIGIDOKTER,
            "title": DIGIDOKTER,
            "description": "Heb je een vraag over je smartphone, tablet of laptop? De digidokters helpen je, "
            "elke eerste dinsdag van de maand. Breng je toestel mee.",
            "help_point": library,
            "first_date": _first_tuesday_after(today),
            "starts_at": time(14, 0),
            "ends_at": time(16, 0),
            "recurrence": "monthly_weekday",
            "repeat_until": today + timedelta(days=365),
            "seats": 8,
            "languages": ["nl", "fr", "en"],
            "target_groups": ["seniors", "newcomers"],
            "organisers": [coach],
            "items": [("module", smartphone.translation_key, "before")]
            + ([("simulator", train.translation_key, "after")] if train else []),
        },
        {
            "kind": SessionKind.WORKSHOP,
            "title": "Workshop voor jongeren: echt of nep?",
            "description": "Samen berichten en filmpjes onderzoeken: herken je oplichters en nepnieuws?",
            "help_point": library,
            "first_date": _next_weekday(today, 2),
            "starts_at": time(14, 0),
            "ends_at": time(16, 0),
            "recurrence": "weekly",
            "repeat_until": _next_weekday(today, 2) + timedelta(weeks=5),
            "seats": 12,
            "languages": ["nl"],
            "target_groups": ["youth"],
            "organisers": [coach],
            "items": [("module", phishing.translation_key, "after")],
        },
        {
            "kind": SessionKind.WEBINAR,
            "title": "Webinar: apps die je privacy respecteren",
            "description": "Welke apps gebruiken weinig van je gegevens? We tonen alternatieven voor chatten, "
            "mailen en kaarten.",
            "online_link": "https://webinar.mechelen.example/privacy-apps",
            "first_date": _next_weekday(today, 3) + timedelta(weeks=1),
            "starts_at": time(19, 0),
            "ends_at": time(20, 30),
            "recurrence": "once",
            "seats": 50,
            "languages": ["nl"],
            "target_groups": [],
            "organisers": [coach],
            "items": [("module", smartphone.translation_key, "after")],
        },
    ]
    if manager is not None:
        sessions.append(
            {
                "kind": SessionKind.STAFF_TRAINING,
                "title": "Opleidingsmoment: je smartphone op het werk",
                "description": "Voor medewerkers die niet op een kantoor werken: veilig inloggen en je "
                "planning op je smartphone.",
                "help_point": city_hall or library,
                "first_date": _next_weekday(today, 0) + timedelta(weeks=2),
                "starts_at": time(9, 0),
                "ends_at": time(11, 0),
                "recurrence": "once",
                "seats": 15,
                "languages": ["nl"],
                "target_groups": ["city_staff"],
                "organisers": [manager],
                "items": [("module", phishing.translation_key, "before")],
            }
        )
    made = 0
    for spec in sessions:
        if GroupSession.objects.filter(title=spec["title"]).exists():
            continue
        organisers, items = spec.pop("organisers"), spec.pop("items")
        with transaction.atomic():
            session = GroupSession.objects.create(created_by=organisers[0], **spec)
            session.organisers.set(organisers)
            SessionItem.objects.bulk_create(
                [
                    SessionItem(session=session, kind=kind, target_key=key, when=when, sort_order=order)
                    for order, (kind, key, when) in enumerate(items)
                ]
            )
        occurrences_sync(session=session, today=today)
        made += 1
    digidokter = GroupSession.objects.filter(title=DIGIDOKTER).first()
    first = digidokter.occurrences.order_by("starts").first() if digidokter else None
    if first is not None and not SeatBooking.objects.filter(learner=learner, occurrence__session=digidokter).exists():
        SeatBooking.objects.create(occurrence=first, learner=learner, booked_by=coach, status=BookingStatus.CONFIRMED)
    return made
