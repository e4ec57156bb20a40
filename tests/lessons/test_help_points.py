"""Help points: open now (Brussels time, per request), filter and order by area or postcode, a route link."""

from datetime import UTC, datetime, time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lessons import selectors
from lessons.choices import District, HelpPointKind
from lessons.models import HelpPoint, HelpPointOpeningTime, HelpPointsPage
from tests.factories import LANGUAGES, HelpPointFactory, fresh, help_point_translation, site_tree

# Monday to Friday 9:00-12:00 and 13:30-16:30, Saturday 10:00-12:00.
ROWS = [SimpleNamespace(weekday=day, opens=time(9), closes=time(12)) for day in range(5)]
ROWS += [SimpleNamespace(weekday=day, opens=time(13, 30), closes=time(16, 30)) for day in range(5)]
ROWS += [SimpleNamespace(weekday=5, opens=time(10), closes=time(12))]


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=selectors.BRUSSELS)


def status_at(moment: datetime) -> selectors.OpeningStatus:
    return selectors.help_point_opening_status(times=ROWS, now=moment)


def test_before_opening_it_is_closed_and_opens_later_today():
    status = status_at(brussels(2026, 12, 8, 8, 59))  # a Tuesday
    assert status.known and not status.open_now
    assert (status.next_in_days, status.next_opens) == (0, time(9))


def test_during_opening_hours_it_is_open_until_closing_time():
    status = status_at(brussels(2026, 12, 8, 9, 0))
    assert status.open_now and status.closes == time(12)
    assert status_at(brussels(2026, 12, 8, 14, 0)).closes == time(16, 30)


def test_at_closing_time_and_over_lunch_it_is_closed():
    lunch = status_at(brussels(2026, 12, 8, 12, 0))
    assert not lunch.open_now and (lunch.next_in_days, lunch.next_opens) == (0, time(13, 30))
    evening = status_at(brussels(2026, 12, 8, 17, 0))
    assert not evening.open_now and (evening.next_in_days, evening.next_opens) == (1, time(9))


def test_on_a_closed_day_it_names_the_next_opening_day():
    status = status_at(brussels(2026, 12, 12, 13, 0))  # Saturday afternoon, after 12:00
    assert not status.open_now
    assert (status.next_day, status.next_in_days, status.next_opens) == (0, 2, time(9))
    with translation.override("en"):
        assert status.next_day_name == "Monday"


def test_summer_and_winter_time_use_the_clock_in_brussels():
    # 07:30 UTC is 08:30 in Brussels in winter (UTC+1) but 09:30 in summer (UTC+2, from 29 March 2026).
    winter = status_at(datetime(2026, 3, 23, 7, 30, tzinfo=UTC))
    summer = status_at(datetime(2026, 3, 30, 7, 30, tzinfo=UTC))
    assert not winter.open_now and winter.next_opens == time(9)
    assert summer.open_now and summer.closes == time(12)
    # And back to winter time on 25 October 2026: 08:30 UTC is 09:30 in Brussels again.
    assert status_at(datetime(2026, 10, 26, 8, 30, tzinfo=UTC)).open_now
    assert not status_at(datetime(2026, 10, 23, 6, 30, tzinfo=UTC)).open_now  # 08:30 summer time


def test_without_opening_times_nothing_is_claimed():
    assert selectors.help_point_opening_status(times=[], now=brussels(2026, 12, 8, 10)) == selectors.OpeningStatus(
        known=False
    )


def test_an_opening_time_must_close_after_it_opens():
    row = HelpPointOpeningTime(weekday=0, opens=time(12), closes=time(9))
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert "closes" in error.value.message_dict


# The places of the page tests, with their English names: {Dutch name: (English name, fields)}.
PLACES = {
    "Digibankpunt Nekkerspoel": (
        "Digibank point Nekkerspoel",
        # Tuesday 9:00-12:00 and Thursday 13:30-16:30.
        {
            "street": "Kruisbaan 27",
            "district": District.NEKKERSPOEL,
            "postcode": "2800",
            "times": [(1, "09:00", "12:00"), (3, "13:30", "16:30")],
        },
    ),
    "Surfpunt Heffen": (
        "Heffen surf point",
        {
            "kind": HelpPointKind.SURFPOINT,
            "street": "Dorp 12",
            "district": District.HEFFEN,
            "postcode": "2801",
            "times": [(2, "14:00", "16:00")],
        },
    ),
    "Dienstencentrum Muizen": (
        "Muizen Service Centre",
        {
            "kind": HelpPointKind.SERVICE_CENTRE,
            "street": "Muizenstraat 3",
            "district": District.MUIZEN,
            "postcode": "2812",
            "times": [(4, "09:00", "11:00")],
        },
    ),
}


@pytest.fixture(scope="module")
def _help_points_for_module(module_data):
    """The help page in four languages and three places, each in every language."""
    site_tree(*LANGUAGES)
    for dutch, (english, fields) in PLACES.items():
        fields = dict(fields)
        point = HelpPointFactory(name=dutch, opening_times=fields.pop("times"), **fields)
        for language in LANGUAGES[1:]:
            help_point_translation(point, language, name=english if language == "en" else f"{dutch} ({language})")


@pytest.fixture
def help_points(_help_points_for_module, db):
    return fresh(_help_points_for_module)


@pytest.fixture
def help_page_en(help_points):
    return HelpPointsPage.objects.get(locale__language_code="en")


def freeze(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_page_says_open_now_for_each_request_not_from_the_cache(client, help_page_en, monkeypatch):
    freeze(monkeypatch, brussels(2026, 12, 8, 10, 0))  # Tuesday 10:00: Nekkerspoel opens 9-12
    first = client.get(help_page_en.url)
    html = first.content.decode()
    assert "private" in first["Cache-Control"]
    assert "Open now, until 12:00." in html
    freeze(monkeypatch, brussels(2026, 12, 8, 12, 30))
    html = client.get(help_page_en.url).content.decode()
    assert "Open now, until 12:00." not in html
    assert "Closed now." in html and "Opens again on Thursday at 13:30." in html


def test_the_page_says_when_a_point_opens_again_tomorrow(client, help_page_en, monkeypatch):
    freeze(monkeypatch, brussels(2026, 12, 7, 18, 0))  # Monday evening: Den Abeel opens Tuesday 9:00
    assert "Opens again tomorrow at 09:00." in client.get(help_page_en.url).content.decode()


def test_filter_by_district_shows_only_that_area(client, help_page_en):
    html = client.get(help_page_en.url, {"district": "heffen"}).content.decode()
    assert "Heffen surf point" in html
    assert "Digibank point Nekkerspoel" not in html and "Muizen Service Centre" not in html
    assert "1 help point" in html and "Show all help points" in html
    assert '<option value="heffen" selected>Heffen (2801)</option>' in html


def test_an_area_without_help_points_says_so(client, help_page_en):
    html = client.get(help_page_en.url, {"district": "walem"}).content.decode()
    assert "There is no help point in this area yet." in html


def test_order_by_postcode(client, help_page_en):
    response = client.get(help_page_en.url, {"order": "postcode"})
    postcodes = [point.postcode for point in response.context["help_points"]]
    assert postcodes == sorted(postcodes) and postcodes[-1] == "2812"


def test_an_unknown_area_or_order_is_a_clear_400(client, help_page_en):
    response = client.get(help_page_en.url, {"district": "brussel"})
    assert response.status_code == 400
    assert "This area does not exist." in response.content.decode()
    assert client.get(help_page_en.url, {"order": "random"}).status_code == 400


def test_each_point_links_to_a_route_on_openstreetmap(client, help_page_en):
    html = client.get(help_page_en.url).content.decode()
    point = HelpPoint.objects.get(locale__language_code="en", street="Kruisbaan 27")
    url = point.route_url()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.openstreetmap.org", "/directions")
    assert parse_qs(parts.query)["to"] == ["Kruisbaan 27, 2800 Mechelen"]
    assert f'<a href="{url.replace("&", "&amp;")}" rel="noopener external">' in html
    assert "Route to Digibank point Nekkerspoel (opens OpenStreetMap, another website)" in html


def test_the_arabic_page_is_translated(client, help_points, monkeypatch):
    freeze(monkeypatch, brussels(2026, 12, 8, 10, 0))
    page = HelpPointsPage.objects.get(locale__language_code="ar")
    html = client.get(page.url).content.decode()
    assert "Open now" not in html and "Route to" not in html and "All areas" not in html


def test_translations_get_the_opening_times_of_the_source(help_points):
    """Opening times are a synchronised field: wagtail-localize copies them to each translation."""
    from wagtail_localize.fields import copy_synchronised_fields

    dutch = HelpPoint.objects.get(locale__language_code="nl", street="Kruisbaan 27")
    french = dutch.get_translation(dutch.get_translations().get(locale__language_code="fr").locale)
    dutch.opening_times.all().delete()
    HelpPointOpeningTime.objects.create(help_point=dutch, weekday=6, opens=time(10), closes=time(11))
    dutch = HelpPoint.objects.get(pk=dutch.pk)
    copy_synchronised_fields(dutch, french)
    french.save()
    assert list(french.opening_times.values_list("weekday", "opens", "closes")) == [(6, time(10), time(11))]
