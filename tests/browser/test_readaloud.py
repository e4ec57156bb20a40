"""Read aloud in headless Chromium, which has no voices: the server's espeak-ng clips are played.

The clips of the title and summary and the first blocks of the Dutch and Arabic lesson, and of the
simulator's first instruction, are made beforehand (committed, in a thread of their own like tests/browser/learners.py)
and removed afterwards. Nothing is stubbed: a real <audio> element fetches and plays the clips.
"""

import shutil

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .learners import in_db
from .simulators import play_path, scenario_data

pytestmark = pytest.mark.browser

SLUG = "train"
# The <audio> element really loaded a clip (it knows its length) and is playing it (time runs).
AUDIO_PLAYS_JS = """() => {
    const audio = document.querySelector('audio.readaloud-audio');
    return !!audio && audio.readyState >= 1 && audio.duration > 0 && audio.currentTime > 0;
}"""
CURRENT_JS = "() => [...document.querySelectorAll('.readaloud-current')].map((e) => e.textContent).join('')"


def _lesson_sentences(path: str, language: str) -> tuple[list[str], list[str]]:
    """The sentences of the title and summary, and of the first two readable blocks, of the live lesson at `path`."""
    from lessons.models import LessonPage
    from readaloud.selectors import READABLE_BLOCKS, lesson_block_sentences, lesson_intro_sentences

    lesson = next(page for page in LessonPage.objects.live().filter(locale__language_code=language) if page.url == path)
    readable = [(block.block_type, block.value) for block in lesson.body if block.block_type in READABLE_BLOCKS]
    lesson.body = readable[:2]
    lesson.simple_body = []
    return lesson_intro_sentences(page=lesson), lesson_block_sentences(page=lesson)


def _simulator_sentences(language: str) -> list[str]:
    from readaloud.text import sentences_of_text

    data = scenario_data(SLUG, language)
    first = next(screen for screen in data["screens"] if screen["id"] == data["start"])
    with translation.override(language):
        return sentences_of_text(gettext("What to do now")) + sentences_of_text(first["instruction"])


@pytest.fixture(scope="module")
def clips(site, django_db_blocker):
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: apt-get install espeak-ng (CI installs it, see .ci/run)", pytrace=False)
    from readaloud.models import SpeechClip
    from readaloud.services import clips_make
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    def make():
        if not Scenario.objects.filter(slug=SLUG).exists():
            scenarios_load()
        sentences = {"sim-nl": _simulator_sentences("nl"), "sim-ar": _simulator_sentences("ar")}
        sentences["nl-intro"], sentences["nl"] = _lesson_sentences(site.languages["nl"].lesson, "nl")
        sentences["ar-intro"], sentences["ar"] = _lesson_sentences(site.arabic_lesson, "ar")
        made = []
        keys = (("nl", "nl"), ("ar", "ar"), ("sim-nl", "nl"), ("sim-ar", "ar"), ("nl-intro", "nl"), ("ar-intro", "ar"))
        for key, language in keys:
            made += [clip.pk for clip in clips_make(sentences=sentences[key], language=language, label=key).made]
        return sentences, made

    with django_db_blocker.unblock():
        sentences, made = in_db(make)
    yield sentences
    with django_db_blocker.unblock():
        in_db(lambda: SpeechClip.objects.filter(pk__in=made).delete())


def _read(page, button, language: str, first: str) -> None:
    looked_up = page.expect_response(lambda r: r.url.endswith("/readaloud/clips/") and r.status == 200)
    played = page.expect_response(lambda r: f"/media/readaloud/{language}/" in r.url and r.status in (200, 206))
    with looked_up, played:
        button.focus()
        page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(f"({CURRENT_JS})().replace(/\\s+/g, ' ').trim() !== ''")
    assert " ".join(page.evaluate(CURRENT_JS).split()) == first
    source = page.evaluate("document.querySelector('audio.readaloud-audio').currentSrc")
    assert f"/media/readaloud/{language}/" in source
    page.wait_for_function(AUDIO_PLAYS_JS)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_a_lesson_block_is_read_with_server_audio_and_the_sentence_marked(page, site, clips, language):
    page.goto(site.absolute(site.languages["nl"].lesson if language == "nl" else site.arabic_lesson))
    assert page.evaluate("speechSynthesis.getVoices().length") == 0  # headless Chromium: no voices
    button = page.locator(".lesson-body [data-read-aloud-button]").first
    expect(button).to_be_visible()
    with translation.override(language):
        expect(button).to_have_accessible_name(gettext("Read aloud"))
    _read(page, button, language, clips[language][0])
    with translation.override(language):
        expect(button).to_have_accessible_name(gettext("Stop"))
    # The audio plays for real: when the first clip ends, the next sentence is marked.
    page.wait_for_function(
        f"() => ({CURRENT_JS})().replace(/\\s+/g, ' ').trim() === {clips[language][1]!r}", timeout=20_000
    )
    mark = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('.readaloud-current'));"
        " return [s.textDecorationLine, s.backgroundColor, s.color]; }"
    )
    assert mark == ["underline", "rgb(255, 224, 102)", "rgb(0, 0, 0)"]  # not colour alone

    page.keyboard.press("Enter")  # the button still has the focus: stop
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.locator(".readaloud-sentence").count() == 0
    assert page.evaluate("document.querySelector('audio.readaloud-audio').paused")
    page.request_log.assert_all_local()


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_lesson_title_and_summary_are_read_aloud(page, site, clips, language):
    page.goto(site.absolute(site.languages["nl"].lesson if language == "nl" else site.arabic_lesson))
    intro = clips[f"{language}-intro"]
    assert len(intro) >= 2  # the title, then the summary
    button = page.locator("#lesson-intro [data-read-aloud-button]")
    expect(button).to_be_visible()
    with translation.override(language):
        expect(button).to_have_accessible_name(gettext("Read aloud"))
    _read(page, button, language, intro[0])
    assert page.locator("h1 .readaloud-current").count() >= 1  # the title is marked while it is read
    page.wait_for_function(f"() => ({CURRENT_JS})().replace(/\\s+/g, ' ').trim() === {intro[1]!r}", timeout=20_000)
    assert page.locator(".lead .readaloud-current").count() >= 1
    mark = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('.readaloud-current'));"
        " return [s.textDecorationLine, s.backgroundColor, s.color]; }"
    )
    assert mark == ["underline", "rgb(255, 224, 102)", "rgb(0, 0, 0)"]
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.locator(".readaloud-sentence").count() == 0
    assert page.locator("h1").inner_text().strip() == (
        site.languages["nl"].lesson_title if language == "nl" else site.arabic_lesson_title
    )


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_simulator_instruction_is_read_aloud(page, site, clips, language):
    page.goto(site.absolute(play_path(SLUG, language, "guided")))
    button = page.locator(".sim-coach [data-read-aloud-button]")
    expect(button).to_be_visible()
    _read(page, button, language, clips[f"sim-{language}"][0])
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-pressed", "false")


# A computer with a local Dutch voice, told apart from the real API only by what it records.
LOCAL_VOICE_JS = """(() => {
    window.__spoken = [];
    const voice = {name: 'Test Nederlands', lang: 'nl-BE', localService: true, default: true, voiceURI: 'test-nl'};
    const online = {name: 'Online Nederlands', lang: 'nl-NL', localService: false, default: false, voiceURI: 'online'};
    Object.defineProperty(window, 'speechSynthesis', {value: {
        getVoices: () => [online, voice],
        speak: (utterance) => {
            window.__spoken.push({text: utterance.text, voice: utterance.voice && utterance.voice.name});
            setTimeout(() => utterance.onend && utterance.onend(), 300);
        },
        cancel: () => window.__spoken.push({cancel: true}),
    }});
    // The real utterance only takes real SpeechSynthesisVoice objects.
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();"""


def test_a_local_voice_is_used_when_the_computer_has_one(page, site, clips):
    page.add_init_script(LOCAL_VOICE_JS)
    page.goto(site.absolute(site.languages["nl"].lesson))
    button = page.locator(".lesson-body [data-read-aloud-button]").first
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => window.__spoken.length >= 2")
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == {"text": clips["nl"][0], "voice": "Test Nederlands"}  # never the online voice
    assert spoken[1]["text"] == clips["nl"][1]
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert not [url for url in page.request_log.urls if "/readaloud/clips/" in url or "/media/readaloud/" in url]


def test_a_block_without_audio_says_so_and_stops(page, site, clips):
    page.goto(site.absolute(site.languages["nl"].lesson))
    button = page.locator(".lesson-body [data-read-aloud-button]").last  # its clips were not made
    with page.expect_response(lambda r: r.url.endswith("/readaloud/clips/")):
        button.click()
    with translation.override("nl"):
        expect(
            page.get_by_role("status").filter(has_text=gettext("Reading aloud does not work for this text yet."))
        ).to_have_count(1)
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.locator(".readaloud-sentence").count() == 0
