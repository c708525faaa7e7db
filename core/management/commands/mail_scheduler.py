"""Every minute: one round of the periodic jobs the apps registered (core/jobs.py): today
scheduled announcements, event reminders and follow-ups, the weekly digest, messages a
crashed worker left half-sent, guests' expired holds (their places go to the waitlist, with
the promotion emails) and kept PDFs nobody came back for. Safe to run twice, or on several
machines: each email that must go once has a unique key in the outbox."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import health, jobs


class Command(BaseCommand):
    help = "Run the periodic jobs of every app (reminders, digest, expired holds...) each minute."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")

    def handle(self, *args, once=False, interval=60.0, **options):
        while True:
            close_old_connections()
            done = jobs.run_once()
            # For /healthz: this round ran, and the worker is asked to show it serves the queue.
            health.scheduler_ran()
            if any(done.values()):
                self.stdout.write(
                    self.style.SUCCESS(", ".join(f"{k}: {v}" for k, v in done.items()))
                )
            if once:
                return
            time.sleep(interval)
