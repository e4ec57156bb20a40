"""espeak-ng for real (CI installs it), the clip key, and skipping without espeak-ng."""

import io
import logging
import shutil
import struct
import wave

import pytest

from readaloud import speech
from readaloud.services import clips_make
from readaloud.speech import SpeechUnavailable, clip_key, speech_render, voice_settings


@pytest.fixture
def espeak():
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: apt-get install espeak-ng (CI installs it, see .ci/run)", pytrace=False)


def ogg_opus_duration(data: bytes) -> float:
    """Seconds of an Ogg Opus file: the granule position of the last page, at 48 kHz, minus the pre-skip."""
    assert data[:4] == b"OggS" and b"OpusHead" in data[:64]
    head = data.index(b"OpusHead")
    pre_skip = struct.unpack_from("<H", data, head + 10)[0]
    last = data.rindex(b"OggS")
    granule = struct.unpack_from("<q", data, last + 6)[0]
    return (granule - pre_skip) / 48000


def test_the_key_depends_on_text_language_and_voice():
    voice = voice_settings("nl")
    key = clip_key(text="Druk op de knop.", language="nl", voice=voice)
    assert len(key) == 64 and key == clip_key(text="Druk op de knop.", language="nl", voice=voice)
    assert key != clip_key(text="Druk op de knop!", language="nl", voice=voice)
    assert key != clip_key(text="Druk op de knop.", language="fr", voice=voice)
    assert key != clip_key(text="Druk op de knop.", language="nl", voice=voice + " other")
    assert voice_settings("nl") != voice_settings("ar")


@pytest.mark.parametrize(("language", "text"), [("nl", "Druk op de groene knop."), ("ar", "اضغط على الزر الأخضر.")])
def test_espeak_ng_makes_real_audio(espeak, language, text):
    made = speech_render(text=text, language=language)
    assert made.duration > 0.5
    if made.extension == "opus":
        assert made.content_type == "audio/ogg"
        assert abs(ogg_opus_duration(made.data) - made.duration) < 0.2
        assert len(made.data) < 40_000
    else:
        with wave.open(io.BytesIO(made.data)) as sound:
            assert made.data[:4] == b"RIFF" and sound.getnframes() > 0


def test_text_cannot_become_an_option(espeak):
    made = speech_render(text="--help -w /tmp/x.wav; rm -rf /", language="en")
    assert made.duration > 0.5


def test_an_unknown_language_has_no_voice():
    with pytest.raises(SpeechUnavailable):
        voice_settings("xx")


def test_without_espeak_ng_nothing_is_made_and_the_log_says_why(monkeypatch, caplog):
    real_which = shutil.which
    monkeypatch.setattr(speech.shutil, "which", lambda name: None if name == "espeak-ng" else real_which(name))
    with pytest.raises(SpeechUnavailable):
        speech_render(text="Hallo.", language="nl")
    with caplog.at_level(logging.WARNING, logger="readaloud"):
        report = clips_make(sentences=["Hallo."], language="nl", label="test")
    assert report.skipped and not report.made
    assert "espeak-ng is not installed" in caplog.text
