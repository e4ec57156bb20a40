"""SMS sending, pluggable by dotted path in settings.SMS_BACKEND.

The default only writes to the log: this platform never sends a real SMS unless a city operator
plugs in a provider's backend (a class with `send_messages(messages) -> int`).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("training.sms")


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class LogSmsBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            logger.info("SMS to %s: %s", message.to, message.body)
        return len(messages)


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "training.sms.LogSmsBackend"))()
