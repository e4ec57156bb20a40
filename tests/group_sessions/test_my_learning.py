"""My learning shows the next session the learner joined and what to practise before it (not what is done)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from group_sessions.models import SessionItem
from lessons.models import LessonPage
from tests.training.conftest import lesson_done

from .factories import book, cover, make_occurrence, make_session

pytestmark = pytest.mark.django_db


def test_my_learning_shows_the_next_session_and_its_open_before_items(client, coach, learners, course):
    marie = learners[0]
    first, second, third = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path")[:3]
    session = make_session(organiser=coach, title="Werken met itsme")
    cover(session, first, when=SessionItem.When.BEFORE, order=1)
    cover(session, second, when=SessionItem.When.BEFORE, order=2)
    cover(session, third, when=SessionItem.When.AFTER, order=3)
    later = make_occurrence(session, days=14)
    soon = make_occurrence(session, days=3)
    book(later, marie)
    book(soon, marie)
    lesson_done(marie, second.translation_key)

    client.force_login(marie)
    html = client.get(reverse("progress:my_learning")).content.decode()
    assert "Je volgende groepssessie" in html
    section = html.split('id="next-session-title"')[1].split("</section>")[0]
    assert "Werken met itsme" in section
    assert timezone.localtime(soon.starts).strftime("%H:%M") in section
    assert reverse("group_sessions:occurrence", kwargs={"pk": soon.pk}) in section
    assert f'datetime="{timezone.localtime(soon.starts).isoformat()}"' in section
    assert session.help_point.name in section
    assert first.title in section  # to practise before
    assert second.title not in section  # already finished
    assert third.title not in section  # for after the session


def test_a_cancelled_past_or_cancelled_seat_is_not_shown(client, coach, learners):
    marie = learners[0]
    session = make_session(organiser=coach, title="Digidokter")
    book(make_occurrence(session, days=-2), marie)
    book(make_occurrence(session, days=2, cancelled_at=timezone.now()), marie)
    book(make_occurrence(session, days=4), marie, status="cancelled")
    client.force_login(marie)
    html = client.get(reverse("progress:my_learning")).content.decode()
    assert "next-session-title" not in html


def test_an_online_session_shows_its_link(client, coach, learners):
    session = make_session(organiser=coach, title="Webinar privacy", point=None, online_link="https://meet.example/x")
    session.help_point = None
    session.save()
    book(make_occurrence(session, days=1), learners[1])
    client.force_login(learners[1])
    html = client.get(reverse("progress:my_learning")).content.decode()
    assert "https://meet.example/x" in html and "Online" in html


def test_signing_up_and_a_cancelled_date_show_at_once_on_a_my_learning_page_seen_before(client, coach, learners):
    """My learning is cached per learner (learn/signed_in_cache.py): a seat or a cancellation retires that copy."""
    from group_sessions import booking

    marie = learners[0]
    occurrence = make_occurrence(make_session(organiser=coach, title="Werken met itsme"), days=3)
    client.force_login(marie)
    url = reverse("progress:my_learning")
    assert "next-session-title" not in client.get(url).content.decode()  # seen (and cached) before signing up

    booking.seat_book(occurrence_id=occurrence.pk, learner=marie)
    assert "Werken met itsme" in client.get(url).content.decode()

    occurrence.cancelled_at = timezone.now()
    occurrence.save(update_fields=["cancelled_at"])
    assert "next-session-title" not in client.get(url).content.decode()
