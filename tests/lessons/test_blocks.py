import pytest
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.models import Document

from lessons.blocks import FigureBlock, QuestionBlock, StepsBlock, VideoBlock
from tests import factories


@pytest.fixture
def image(db):
    return factories.image("Schermafbeelding")


def _value(block, data):
    return block.to_python(data)


def test_image_needs_alt_text_unless_decorative(image):
    block = FigureBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(_value(block, {"image": image.pk, "alt_text": " ", "decorative": False}))
    assert "alt_text" in error.value.block_errors

    block.clean(_value(block, {"image": image.pk, "alt_text": "", "decorative": True}))
    block.clean(_value(block, {"image": image.pk, "alt_text": "Een smartphone", "decorative": False}))


def test_question_needs_exactly_one_right_answer():
    block = QuestionBlock()
    two_right = {
        "question": "Q?",
        "options": [
            {"text": "a", "correct": True, "feedback": "x"},
            {"text": "b", "correct": True, "feedback": "y"},
        ],
    }
    with pytest.raises(StructBlockValidationError):
        block.clean(_value(block, two_right))
    two_right["options"][1]["correct"] = False
    assert block.clean(_value(block, two_right))["question"] == "Q?"


def test_step_screenshot_needs_alt_text(image):
    block = StepsBlock()
    data = {"title": "", "steps": [{"text": "Tik op de knop", "screenshot": image.pk, "screenshot_alt": ""}]}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(_value(block, data))
    step_errors = error.value.block_errors["steps"].block_errors[0].block_errors
    assert set(step_errors) == {"screenshot_alt"}
    data["steps"][0]["screenshot_alt"] = "Het scherm met de knop Instellingen"
    assert block.clean(_value(block, data))["steps"][0]["screenshot_alt"].startswith("Het scherm")


def test_video_needs_a_video_file_and_webvtt_captions(db, tmp_path):
    from django.core.files.base import ContentFile

    video = Document.objects.create(title="v", file=ContentFile(b"\x00", name="clip.mp4"))
    wrong_captions = Document.objects.create(title="c", file=ContentFile(b"x", name="captions.txt"))
    captions = Document.objects.create(title="c", file=ContentFile(b"WEBVTT\n", name="captions.vtt"))
    block = VideoBlock()
    base = {"video": video.pk, "title": "Uitleg", "transcript": "Tekst"}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(_value(block, {**base, "captions": wrong_captions.pk}))
    assert "captions" in error.value.block_errors
    assert block.clean(_value(block, {**base, "captions": captions.pk}))["title"] == "Uitleg"


def test_video_block_renders_captions_track_and_transcript(db):
    from django.core.files.base import ContentFile

    video = Document.objects.create(title="v", file=ContentFile(b"\x00", name="clip.webm"))
    captions = Document.objects.create(title="c", file=ContentFile(b"WEBVTT\n", name="captions.vtt"))
    block = VideoBlock()
    html = block.render(
        _value(
            block, {"video": video.pk, "captions": captions.pk, "title": "T", "transcript": "Alles wat gezegd wordt"}
        )
    )
    assert '<track kind="captions"' in html and captions.url in html
    assert "Alles wat gezegd wordt" in html
