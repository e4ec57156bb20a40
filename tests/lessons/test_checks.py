"""Editor checks of lessons: readability per language, long and hard sentences, alt text, captions, link texts.

The pure checks are tested on known text; the Wagtail side through a real save in the page editor.
"""

import json
import re

import pytest
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.test.utils.form_data import rich_text

from lessons import checks
from lessons.models import LessonPage
from lessons.wagtail_hooks import AXE_RULES, LessonContentCheckerItem, use_lesson_content_checker
from tests.factories import editor_with_admin_language, image
from tests.sandboxes.formdata import stream_form_data


@pytest.fixture(autouse=True)
def english():
    """Labels and messages as in the code (English msgids); requests pick the editor's own language."""
    from django.utils import translation

    with translation.override("en"):
        yield


def body_value(blocks: list[dict]):
    """A lesson body StreamValue from raw block data, as the editor would store it."""
    return LessonPage._meta.get_field("body").stream_block.to_python(blocks)


# --- Syllables -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("je", 1),
        ("telefoon", 3),
        ("code", 2),
        ("wachtwoord", 2),
        ("uitleg", 2),
        ("nieuw", 1),
        ("eeuw", 1),
        ("mooie", 2),
        ("koeien", 2),
        ("saai", 1),
        ("cadeau", 2),
        ("januari", 4),
        ("België", 3),
        ("geïnstalleerd", 4),
        ("ideeën", 3),
        ("blijven", 2),
        ("IJsland", 2),
        ("beveiligingscode", 6),
        ("gezinssamenstelling", 6),
    ],
)
def test_dutch_syllables_count_vowel_groups_with_diphthongs_as_one(word, count):
    assert checks.syllables_nl(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [("porte", 1), ("téléphone", 3), ("application", 4), ("aujourd'hui", 3), ("l'écran", 2), ("ici", 2), ("naïf", 2)],
)
def test_french_syllables_leave_out_the_silent_final_e(word, count):
    assert checks.syllables_fr(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [("the", 1), ("phone", 1), ("little", 2), ("simple", 2), ("installed", 2), ("wanted", 2), ("password", 2)],
)
def test_english_syllables(word, count):
    assert checks.syllables_en(word) == count


# --- Readability -----------------------------------------------------------------------------------


def test_flesch_douma_on_a_short_dutch_text():
    # Je(1) telefoon(3) heeft(1) een(1) code(2) / Die(1) code(2) is(1) geheim(2) voor(1) iedereen(3)
    result = checks.readability("Je telefoon heeft een code. Die code is geheim voor iedereen.", "nl")
    assert (result.words, result.sentences, result.syllables) == (11, 2, 18)
    assert result.formula == "Flesch–Douma"
    assert result.raw_score == pytest.approx(206.835 - 0.93 * 11 / 2 - 77 * 18 / 11)
    assert result.score == 76


def test_flesch_douma_tells_plain_dutch_from_officialese():
    plain = checks.readability("De kat zit op de mat. De hond ligt in het gras.", "nl")
    assert plain.raw_score == pytest.approx(206.835 - 0.93 * 6 - 77 * 1)
    assert plain.score == 100  # shown between 0 and 100
    hard = checks.readability(
        "Overeenkomstig de toepasselijke reglementering dient de aanvrager de noodzakelijke "
        "bewijsstukken elektronisch te uploaden via het beveiligde gebruikersportaal.",
        "nl",
    )
    assert hard.raw_score < 30
    assert hard.label == "very hard"


def test_kandel_moles_for_french():
    # Le chat dort sur le lit (6 syllables) / Le chien mange dans la cuisine (1+1+1+1+1+2)
    result = checks.readability("Le chat dort sur le lit. Le chien mange dans la cuisine.", "fr")
    assert (result.words, result.sentences, result.syllables) == (12, 2, 13)
    assert result.formula == "Kandel–Moles"
    assert result.raw_score == pytest.approx(207 - 1.015 * 6 - 73.6 * 13 / 12)


def test_flesch_reading_ease_for_english():
    result = checks.readability("The cat sat on the mat. The dog is in the garden.", "en")
    assert (result.words, result.sentences, result.syllables) == (12, 2, 13)
    assert result.formula == "Flesch Reading Ease"
    assert result.raw_score == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 13 / 12)


def test_no_formula_for_arabic_and_no_score_for_too_little_text():
    assert checks.readability("هذا نص عربي قصير. فيه جملتان فقط وبعض الكلمات الأخرى هنا.", "ar") is None
    assert checks.readability("Kort.", "nl") is None


def test_sentences_split_at_end_marks_and_line_breaks_but_not_after_abbreviations():
    assert checks.sentences_of("Kies bv. een code. Druk op 1. Klaar! Wat nu?\nZonder punt") == [
        "Kies bv. een code.",
        "Druk op 1.",
        "Klaar!",
        "Wat nu?",
        "Zonder punt",
    ]
    assert checks.sentences_of("هل انتهيت؟ سجّل الخروج.") == ["هل انتهيت؟", "سجّل الخروج."]


# --- Long and hard sentences -----------------------------------------------------------------------


def segments(text: str):
    return [checks.Segment(checks.Place("Lesson content", 1, "Text"), text)]


def test_a_sentence_over_fifteen_words_is_listed_with_its_place():
    fifteen = "Een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien."
    sixteen = "Een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien."
    assert checks.sentence_issues(segments(fifteen), "nl") == []
    [issue] = checks.sentence_issues(segments(sixteen), "nl")
    assert issue.kind == "long_sentence"
    assert "16 words" in issue.message and "zestien" in issue.message
    assert str(issue).startswith("Lesson content, block 1 (Text): ")


def test_a_short_sentence_with_many_long_words_is_hard():
    [issue] = checks.sentence_issues(
        segments("Activeer tweestapsverificatie in de beveiligingsinstellingen van de authenticatie-applicatie."), "nl"
    )
    assert issue.kind == "hard_sentence"
    assert "beveiligingsinstellingen" in issue.message
    assert checks.sentence_issues(segments("Zet je telefoon aan. Typ je code."), "nl") == []


def test_arabic_long_sentences_are_listed_too():
    long_sentence = " ".join(["كلمة"] * 16) + "."
    [issue] = checks.sentence_issues(segments(long_sentence), "ar")
    assert issue.kind == "long_sentence"


def test_headings_titles_and_answer_options_are_not_scored_as_sentences():
    body = body_value(
        [
            {"type": "text", "value": "<h2>Een kop die geen zin is</h2><p>Een gewone zin.</p>"},
            {"type": "tip", "value": {"title": "Titel", "text": "Tekst van de tip."}},
            {
                "type": "question",
                "value": {
                    "question": "Wie?",
                    "options": [
                        {"text": "Ik", "correct": True, "feedback": "Juist."},
                        {"text": "Jij", "correct": False, "feedback": "Nee."},
                    ],
                },
            },
        ]
    )
    found = checks.stream_segments(body, "Lesson content")
    prose = [segment.text for segment in found if segment.prose]
    assert prose == ["Een gewone zin.", "Tekst van de tip.", "Wie?", "Juist.", "Nee."]
    places = [str(segment.place) for segment in found if segment.text == "Nee."]
    assert places == ["Lesson content, block 3 (Question), feedback on answer 2"]


# --- Images, videos and links ----------------------------------------------------------------------


def test_images_without_useful_alt_text_and_videos_without_captions_are_listed():
    body = body_value(
        [
            {"type": "image", "value": {"image": None, "alt_text": "", "decorative": False, "caption": ""}},
            {"type": "image", "value": {"image": None, "alt_text": "IMG_2041.jpg", "decorative": False}},
            {"type": "image", "value": {"image": None, "alt_text": "Foto", "decorative": False}},
            {"type": "image", "value": {"image": None, "alt_text": "", "decorative": True}},
            {"type": "image", "value": {"image": None, "alt_text": "Een hand houdt een telefoon vast"}},
            {"type": "video", "value": {"video": None, "captions": None, "title": "Uitleg", "transcript": ""}},
        ]
    )
    issues = checks.media_issues(body, "Lesson content")
    assert [(issue.kind, issue.place.block_number) for issue in issues] == [
        ("image_alt", 1),
        ("image_alt_vague", 2),
        ("image_alt_vague", 3),
        ("video_captions", 6),
        ("video_transcript", 6),
    ]


@pytest.mark.parametrize(
    "text",
    ["klik hier", "Klik hier!", "hier", "Lees meer…", "meer", "click here", "Read more", "here", "cliquez ici"]
    + ["ici", "En savoir plus", "اضغط هنا", "هنا"],
)
def test_vague_link_texts_are_listed(text):
    body = body_value(
        [{"type": "text", "value": f'<p>Het formulier vind je <a href="https://example.org">{text}</a>.</p>'}]
    )
    [issue] = checks.link_issues(body, "Lesson content")
    assert issue.kind == "vague_link"
    assert text in issue.message


def test_link_texts_that_name_the_page_are_fine():
    body = body_value(
        [
            {
                "type": "text",
                "value": '<p>Vul <a href="https://example.org">het formulier voor een parkeerkaart</a> in.</p>',
            }
        ]
    )
    assert checks.link_issues(body, "Lesson content") == []


def test_the_report_of_a_lesson_covers_both_versions(lesson):
    report = checks.lesson_report(lesson)
    assert [field.label for field in report.fields] == ["Lesson content", "Easier version (A2)"]
    assert report.formula == "Flesch–Douma"
    easy = report.fields[1]
    assert easy.readability.score >= checks.TARGET_SCORE_EASY
    assert not [issue for issue in easy.issues if issue.kind == "long_sentence"]


def test_the_report_of_an_arabic_lesson_says_no_formula_is_used(lesson):
    arabic = LessonPage.objects.get(translation_key=lesson.translation_key, locale__language_code="ar")
    report = checks.lesson_report(arabic)
    assert report.formula is None
    assert all(field.readability is None for field in report.fields)
    assert "No readability formula" in report.no_formula_note


# --- In the Wagtail editor -------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    """An editor, with English as admin language so messages and labels read as in the code."""
    client.force_login(editor_with_admin_language("en"))
    return client


def edit_form_data(page, body) -> dict:
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "estimated_minutes": str(page.estimated_minutes),
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(stream_form_data("body", body))
    data.update(stream_form_data("simple_body", page.simple_body))
    # Rich text travels as the editor's Draftail state, and choosers as ids.
    for stream_name, stream in (("body", body), ("simple_body", page.simple_body)):
        for index, block in enumerate(stream):
            if block.block_type == "text":
                data[f"{stream_name}-{index}-value"] = rich_text(block.value.source)
            if block.block_type == "image":
                data[f"{stream_name}-{index}-value-image"] = str(block.value["image"].pk)
    return data


def test_saving_a_lesson_warns_about_alt_text_captions_and_vague_links(editor_client, lesson):
    picture = image("Foto van een telefoon")
    body = body_value(
        [
            {"type": "text", "value": '<p>Het formulier staat <a href="https://example.org/form">klik hier</a>.</p>'},
            {"type": "image", "value": {"image": picture.pk, "alt_text": "foto", "decorative": False, "caption": ""}},
            {"type": "video", "value": {"video": None, "captions": None, "title": "Uitleg", "transcript": ""}},
        ]
    )
    response = editor_client.post(f"/admin/pages/{lesson.pk}/edit/", edit_form_data(lesson, body), follow=True)

    assert response.status_code == 200
    warnings = [str(message) for message in response.context["messages"] if message.level_tag == "warning"]
    assert len(warnings) == 1, [str(message) for message in response.context["messages"]]
    warning = warnings[0]
    assert "Lesson content, block 1 (Text)" in warning and "klik hier" in warning
    assert "Lesson content, block 2 (Image)" in warning and '"foto"' in warning
    assert "Lesson content, block 3 (Video)" in warning and "captions" in warning

    # The edit screen now shows the saved draft's checks in the lesson's panel.
    html = response.content.decode()
    assert "Checks: readability and accessibility" in html
    assert 'data-issue="vague_link"' in html
    assert 'data-issue="image_alt_vague"' in html
    assert 'data-issue="video_captions"' in html


def test_a_clean_lesson_saves_without_a_warning(editor_client, lesson):
    body = body_value([{"type": "text", "value": "<p>Zet je telefoon aan. Typ je code. Nu zie je je apps.</p>"}])
    response = editor_client.post(f"/admin/pages/{lesson.pk}/edit/", edit_form_data(lesson, body), follow=True)
    assert response.status_code == 200
    assert not [message for message in response.context["messages"] if message.level_tag == "warning"]


def test_autosave_gets_no_warning(editor_client, lesson):
    body = body_value([{"type": "text", "value": '<p><a href="https://example.org">klik hier</a></p>'}])
    response = editor_client.post(
        f"/admin/pages/{lesson.pk}/edit/", edit_form_data(lesson, body), headers={"accept": "application/json"}
    )
    assert response.status_code == 200 and response.json()["success"]
    follow = editor_client.get(f"/admin/pages/{lesson.pk}/edit/")
    assert not [message for message in follow.context["messages"] if message.level_tag == "warning"]


def test_the_panel_shows_the_readability_score_in_the_editor(editor_client, lesson):
    html = editor_client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Readability (Flesch–Douma)" in html
    assert "Easier version (A2)" in html


def test_the_checks_panel_runs_more_of_wagtails_accessibility_rules(editor_client, lesson):
    html = editor_client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    match = re.search(r'<script id="checker-axe-configuration" type="application/json">(.*?)</script>', html, re.S)
    assert match, "The editor's Checks panel has no axe configuration"
    config = json.loads(match.group(1))
    run_only = config["options"]["runOnly"]
    for rule in (
        "image-alt",
        "video-caption",
        "link-in-text-block",
        "color-contrast",
        "alt-text-quality",
        "heading-order",
    ):
        assert rule in run_only
    [alt_check] = [check for check in config["spec"]["checks"] if check["id"] == "check-image-alt-text"]
    assert re.search(alt_check["options"]["pattern"], "Afbeelding", re.IGNORECASE)
    assert re.search(alt_check["options"]["pattern"], "IMG_2041.jpg", re.IGNORECASE)
    assert not re.search(alt_check["options"]["pattern"], "Een hand houdt een telefoon vast", re.IGNORECASE)


def test_the_userbar_hook_replaces_wagtails_checker_and_keeps_where_it_runs(rf):
    items = [ContentCheckerItem(in_editor=True)]
    use_lesson_content_checker(rf.get("/"), items, None)
    assert isinstance(items[0], LessonContentCheckerItem) and items[0].in_editor
    assert items[0].get_axe_run_only(None) == AXE_RULES
    assert set(ContentCheckerItem.axe_run_only) <= set(AXE_RULES)
