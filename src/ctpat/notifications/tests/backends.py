"""E-mail backends for tests: Django's in-memory backend that fails on purpose.

They stand in for a mail server that is down, not for any of our code.
"""

from __future__ import annotations

import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class FlakyEmailBackend(LocmemEmailBackend):
    """Refuses ``failures_left`` messages (like a server that is briefly down), then delivers."""

    failures_left = 1

    def send_messages(self, messages):
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class FailingEmailBackend(LocmemEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


class SlowEmailBackend(LocmemEmailBackend):
    """Takes a while to deliver, so that two workers overlap."""

    delay_seconds = 0.5

    def send_messages(self, messages):
        time.sleep(self.delay_seconds)
        return super().send_messages(messages)
