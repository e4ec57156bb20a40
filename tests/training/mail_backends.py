"""An e-mail backend for the worker tests: one file per message, so the test process counts what left.

Runs inside the Celery worker process (EMAIL_BACKEND in its environment). TRAINING_TEST_MAIL_DELAY makes
each message slow, so a test can kill the worker while it is sending.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["TRAINING_TEST_MAIL_DIR"])
        delay = float(os.environ.get("TRAINING_TEST_MAIL_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            (folder / f"{uuid.uuid4().hex}.txt").write_text(f"{message.to[0]}\n{message.subject}\n")
        return len(email_messages)
