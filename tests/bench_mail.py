"""Mail benchmark (for `make bench`; not part of the test suite).

An announcement to every demo member (all 10,000 of `seed_demo --members 10000`, any status) is
sent from the back office; we time the request, then one `db_worker` delivers everything to
a local SMTP server (aiosmtpd, started here). `report()` returns Markdown lines.

`priority()` then measures what a person waits for while the same announcement goes again,
with the two workers `make run` starts (`db_worker --queue-name default` and
`--queue-name default,bulk`): a member's registration confirmation (written once the bulk
delivery is under way) until the SMTP server has it, and a 5,000-row attendee import from
the commit that queues it until a worker has started it.

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
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "5000"))
# The two workers of `make run`: what a person waits for, and everything (bulk after it).
WORKERS = (["--queue-name", "default"], ["--queue-name", "default,bulk"])

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

# A member registers for an event (the confirmation email), then event staff confirm a big
# attendee import; prints the wall-clock time of each commit and how long the import waited
# until a worker started it.
PROBE = """
import datetime, time
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from imports import importjobs
from imports.models import ImportJob
from events import services
from events.models import Event
from events.tasks import run_attendee_import
from members.models import User

stamp = time.time_ns()
starts = timezone.now() + datetime.timedelta(days=30)
def new_event(slug):
    return Event.objects.create(
        slug=slug, title="Bench event", series=Event.Series.SUMMIT, format=Event.Format.IN_PERSON,
        city="Doha", country="QA", starts_at=starts, ends_at=starts + datetime.timedelta(hours=8),
        timezone="Asia/Qatar", summary="Bench", capacity=None, guests_allowed=True,
        registration_policy=Event.RegistrationPolicy.ANYONE,
    )
staff, _ = User.objects.get_or_create(email="bench-staff@example.org")
staff.groups.add(Group.objects.get(name="Event staff"))
email = f"bench.person.{stamp}@example.org"
with transaction.atomic():
    services.register(
        event=new_event(f"bench-confirm-{stamp}"),
        guest=services.Guest(name="Bench Person", email=email),
        by=staff,
    )
confirmed_at = time.time()
rows = ["name,email,organization,country,listed"] + [
    f"Guest {i},guest.{stamp}.{i}@example.org,School {i % 300},Ghana,no" for i in range({rows})
]
with transaction.atomic():
    event = new_event(f"bench-import-{stamp}")
    job = importjobs.start(
        upload=SimpleUploadedFile("bench.csv", ("\\n".join(rows) + "\\n").encode()),
        task=run_attendee_import, kind="attendees", title="Bench import", by=staff,
        total_rows={rows}, target_id=event.pk,
    )
queued_at = time.time()
while ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).exists():
    if time.time() - queued_at > 600:
        break
    time.sleep(0.1)
started = time.time() - queued_at
print(email, confirmed_at, started)
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
        self.arrived = {}  # recipient -> wall-clock time
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            for address in envelope.rcpt_tos:
                self.arrived.setdefault(address.lower(), time.time())
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
    try:
        return manage("shell", "-c", code, capture=True).stdout.strip().splitlines()[-1]
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr)
        raise


def delivery():
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
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--queue-name",
                "default,bulk",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        last, still = 0, time.perf_counter()
        while inbox.count < recipients and time.perf_counter() - started < LIMIT_SECONDS:
            time.sleep(0.5)
            if inbox.count != last:
                last, still = inbox.count, time.perf_counter()
            elif inbox.count and time.perf_counter() - still > 30:
                break  # nothing more for 30 s: the rest is not coming
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


def start_worker(queues, env):
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", *queues, "--interval", "1", "--no-startup-delay"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def priority():
    """The announcement again, with `make run`'s two workers; a registration confirmation and
    a big import confirmed while it is being delivered."""
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
    workers = []
    try:
        _seconds, recipients, pk = shell(SEND).split()
        recipients = int(recipients)
        workers = [start_worker(queues, env) for queues in WORKERS]
        started = time.perf_counter()
        # Once the bulk delivery is under way (its tasks are all queued by then).
        while inbox.count < 200 and time.perf_counter() - started < LIMIT_SECONDS:
            time.sleep(0.2)
        during = inbox.count
        email, confirmed_at, import_wait = shell(PROBE.replace("{rows}", str(IMPORT_ROWS))).split()
        while email.lower() not in inbox.arrived and time.perf_counter() - started < LIMIT_SECONDS:
            time.sleep(0.2)
        confirmation = inbox.arrived.get(email.lower(), float("nan")) - float(confirmed_at)
        behind = recipients - during
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:  # still importing: its transaction rolls back
                worker.kill()
                worker.wait()
        smtp.stop()
    shell(FIGURES.replace("{pk}", pk))  # the announcement's own figures are above
    verdict = {True: "met", False: "MISSED"}
    return [
        "## Mail: what a person waits for, during a 10,000-recipient announcement",
        "",
        "Two workers as `make run` starts them (`--queue-name default`, "
        "`--queue-name default,bulk`); the announcement's emails go in batches of 100 on the "
        "bulk queue.",
        "",
        "| measure | value | budget |",
        "| --- | --- | --- |",
        f"| announcement emails still waiting when the person acts | about {behind:,} | |",
        f"| a registration confirmation, from the commit to the SMTP server | "
        f"{confirmation:.1f} s | 30 s {verdict[confirmation <= 30]} |",
        f"| a {IMPORT_ROWS:,}-row attendee import, from the commit to a worker starting it | "
        f"{float(import_wait):.1f} s | 10 s {verdict[float(import_wait) <= 10]} |",
        "",
    ]


def report():
    return delivery() + priority()


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    print("\n".join(report()))
