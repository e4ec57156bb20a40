"""Speech from text with espeak-ng (Debian package `espeak-ng`), compressed with opusenc (`opus-tools`).

No shell: the programs are started with a list of arguments and the text goes in on stdin, so no
text can become an option or a command. Each run has a timeout. Without opusenc the clip stays WAV
(about ten times bigger, still playable everywhere).
"""

import hashlib
import io
import logging
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# espeak-ng's voice for each site language, and the speed in words per minute: a little slower than
# espeak-ng's 175, for learners who are new to the language.
VOICES = {"nl": "nl", "fr": "fr", "en": "en", "ar": "ar"}
SPEED = 145
OPUS_BITRATE_KBPS = 20
# opusenc's default complexity (10) takes about three times the time of 3 for a 20 kbit/s voice
# clip that sounds the same; set-up makes thousands of clips.
OPUS_COMPLEXITY = 3
TIMEOUT_SECONDS = 30
# Part of every clip's key: change it when the sound of the clips changes, and every clip is made again.
ENGINE_VERSION = "espeak-ng/1"


class SpeechUnavailable(Exception):
    """espeak-ng is not installed, or has no voice for the language."""


@dataclass(frozen=True)
class Speech:
    data: bytes
    extension: str
    content_type: str
    duration: float


def voice_settings(language: str) -> str:
    """What, besides the text, decides how a clip sounds; part of the clip's key."""
    if language not in VOICES:
        raise SpeechUnavailable(f"No read-aloud voice for the language {language!r}")
    encoder = "opus" if shutil.which("opusenc") else "wav"
    return f"{ENGINE_VERSION} v={VOICES[language]} s={SPEED} {encoder}"


def clip_key(*, text: str, language: str, voice: str) -> str:
    """sha256 of the normalised sentence, its language and the voice settings."""
    return hashlib.sha256(f"{language}\n{voice}\n{text}".encode()).hexdigest()


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speech_render(*, text: str, language: str) -> Speech:
    """One sentence as sound. Raises SpeechUnavailable without espeak-ng, CalledProcessError on failure."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SpeechUnavailable("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    if language not in VOICES:
        raise SpeechUnavailable(f"No read-aloud voice for the language {language!r}")
    with tempfile.TemporaryDirectory(prefix="readaloud-") as folder:
        wav_path = Path(folder) / "speech.wav"
        command = [espeak, "-v", VOICES[language], "-s", str(SPEED), "-b", "1", "-w", str(wav_path), "--stdin"]
        subprocess.run(command, input=text.encode(), capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        wav_data = wav_path.read_bytes()
        with wave.open(io.BytesIO(wav_data)) as sound:
            duration = sound.getnframes() / float(sound.getframerate())
        opusenc = shutil.which("opusenc")
        if opusenc is None:
            return Speech(wav_data, "wav", "audio/wav", duration)
        opus_path = Path(folder) / "speech.opus"
        command = [opusenc, "--quiet", "--comp", str(OPUS_COMPLEXITY), "--bitrate", str(OPUS_BITRATE_KBPS)]
        command += [str(wav_path), str(opus_path)]
        subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        return Speech(opus_path.read_bytes(), "opus", "audio/ogg", duration)
