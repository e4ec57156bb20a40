"""Text people type keeps its own direction: a Dutch note on an Arabic page ends with its full stop."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from coaching import services
from coaching.models import AssignmentKind


def test_the_bdi_filter_isolates_and_escapes():
    html = Template("{% load text_tags %}{{ name|bdi }}|{{ empty|bdi }}").render(
        Context({"name": "<b>Yusuf</b>", "empty": ""})
    )
    assert html == "<bdi>&lt;b&gt;Yusuf&lt;/b&gt;</bdi>|"


def test_a_dutch_note_and_the_group_name_are_isolated_on_an_arabic_dashboard(coach_client, coach, group, module):
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key, note="Oefen thuis."
    )
    with translation.override("ar"):
        html = coach_client.get(reverse("coaching:group_dashboard", kwargs={"pk": group.pk})).content.decode()
    assert '<dd dir="auto">Oefen thuis.</dd>' in html
    assert "<bdi>Digibank Nekkerspoel, dinsdag</bdi>" in html
