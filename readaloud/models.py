"""Clips of server-made speech, one per sentence, language and voice (readaloud/speech.py).

The key is the sha256 of the normalised sentence, the language and the voice settings, so the same
sentence on many pages (or in a lesson and a simulator) is made and stored once. Clips hold only
published text and are served like any other public media file.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpeechClip(models.Model):
    key = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8)
    voice = models.CharField(max_length=80)
    text = models.TextField()
    file = models.FileField(upload_to="readaloud/", max_length=200)
    content_type = models.CharField(max_length=40)
    duration = models.FloatField(help_text=_("Seconds"))
    size = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("speech clip")

    def __str__(self):
        return f"{self.language}: {self.text[:60]}"
