"""Mail benchmark (for `make bench`; not part of the test suite).

An announcement to every demo member (all 10,000 of `seed_demo --members 10000`, any status) is
sent from the back office; we time the request, then one `db_worker` delivers everything to
a local SMTP server (aiosmtpd, started here). `report()` returns Markdown lines.

Expects DATABASE_URL (the bench database) and SECRET_KEY in the environment, like
tests/bench.py. Run alone: `python tests/bench_mail.py`.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8525"))
MEMBERS = int(os.environ.get("BENCH_MAIL_MEMBERS", "10000"))
LIMIT_SECONDS = 600

# Runs inside Django: the network admin presses "send" on a saved announcement.
SEND = """
import time
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from communications.models import Announcement
from mail.models import Message
from members.models import Member, User

STATUSES = list(Member.Status.values)

Message.objects.filter(announcement__subject="Bench announcement").delete()
Announcement.objects.filter(subject="Bench announcement").delete()
admin, _ = User.objects.get_or_create(email="bench-admin@example.org", defaults={"is_staff": True})
admin.groups.add(Group.objects.get(name="Network admins"))
announcement = Announcement.objects.create(
    subject="Bench announcement", body="Hello **everyone**.", statuses=STATUSES
)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(admin)
url = reverse("admin:communications_announcement_change", args=[announcement.pk])
data = {
    "kind": "announcement", "subject": "Bench announcement", "body": "Hello **everyone**.",
    "language": "en", "statuses": STATUSES, "event_audience": "all",
    "translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0", "_send": "1",
}
started = time.perf_counter()
response = client.post(url, data)
elapsed = time.perf_counter() - started
assert response.status_code == 302, response.status_code
from communications import announcements
print(f"{elapsed:.3f} {announcements.count(announcement)} {announcement.pk}")
"""

FIGURES = """
from communications.models import Announcement
from communications import announcements
a = Announcement.objects.get(pk={pk})
f = announcements.figures(a)
print(a.state, f["queued"], f["sent"], f["failed"])
"""


class Counter:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def manage(*args, env=None, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        check=True,
        env=env or os.environ,
        capture_output=capture,
        text=True,
    )


def shell(code):
    return manage("shell", "-c", code, capture=True).stdout.strip().splitlines()[-1]


def report():
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("seed_demo", "--members", str(MEMBERS))
    inbox = Counter()
    smtp = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "EMAIL_USE_TLS": "false",
        "HTTPS": os.environ.get("HTTPS", "false"),
    }
    worker = None
    try:
        request_seconds, recipients, pk = shell(SEND).split()
        recipients = int(recipients)
        started = time.perf_counter()
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while inbox.count < recipients and time.perf_counter() - started < LIMIT_SECONDS:
            time.sleep(0.5)
        seconds = time.perf_counter() - started
    finally:
        if worker:
            worker.terminate()
            worker.wait(timeout=30)
        smtp.stop()
    state, queued, sent, failed = shell(FIGURES.replace("{pk}", pk)).split()
    rate = inbox.count / seconds if seconds else 0
    return [
        "## Mail: one announcement to every demo member",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| recipients | {recipients:,} |",
        f"| request time of *send* in the back office | {float(request_seconds) * 1000:.0f} ms |",
        f"| delivered to the local SMTP server by one worker | {inbox.count:,} "
        f"in {seconds:.1f} s |",
        f"| messages per second, one worker (recipients resolved in the same run) | {rate:.0f} |",
        f"| outbox figures afterwards | {sent} sent, {queued} queued, {failed} failed |",
        "",
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    print("\n".join(report()))
