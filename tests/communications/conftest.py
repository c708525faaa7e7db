"""A real SMTP server (aiosmtpd) and the real database task queue with its worker."""

import threading

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.helpers import free_port

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
}


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self):
        return sorted(str(m["To"]) for m in self.messages)


class SMTPServer:
    """Start, stop and start again on the same port, like a mail server going away."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SMTPServer()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        yield server
    server.stop()


@pytest.fixture
def queue():
    """The portal's production task backend: tasks are rows in PostgreSQL."""
    with override_settings(TASKS=DB_TASKS, OUTBOX_RETRY_SECONDS=0):
        yield
