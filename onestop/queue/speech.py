"""The spoken call as a WAV, made offline on the server by espeak-ng's Vietnamese voice and kept per phrase.

espeak-ng rather than recorded clips: it ships with the distribution (apt package espeak-ng), needs no
network and no recording session, and says any number the day reaches; its voice is robotic but clear
enough over a lobby TV, which is what a call needs. Recorded clips can replace it later behind wav().
"""
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask import current_app

from .words import call_phrase


class SpeechUnavailable(RuntimeError):
    """espeak-ng is not installed or failed: the screen still shows the call, silently."""


def _cache_dir() -> Path:
    folder = Path(current_app.config.get("QUEUE_SPEECH_DIR") or Path(current_app.instance_path) / "queue-speech")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wav(number: str, counter: int) -> Path:
    """The WAV of "Mời số A mười lăm đến quầy số hai", made once and then served from the cache."""
    text = call_phrase(number, counter, spoken=True)
    path = _cache_dir() / f"{hashlib.sha256(text.encode()).hexdigest()[:24]}.wav"
    if path.exists():
        return path
    program = shutil.which("espeak-ng")
    if program is None:
        raise SpeechUnavailable("espeak-ng is not installed")
    # A partial file of this request's own: two screens (or a screen's <audio> asking twice) making the same
    # phrase at once each write their own, and the rename puts a whole file in place whoever finishes first.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.stem}.", suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        subprocess.run([program, "-v", "vi", "-s", "140", "-w", str(partial), text],
                       check=True, capture_output=True, timeout=30)
        partial.replace(path)
    except (OSError, subprocess.SubprocessError) as error:
        partial.unlink(missing_ok=True)
        raise SpeechUnavailable(str(error)) from error
    return path
