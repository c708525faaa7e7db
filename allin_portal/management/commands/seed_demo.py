import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from events.demo import create_events
from members.demo import create_members
from resources.demo import create_resources


class Command(BaseCommand):
    help = (
        "Fill the database with clearly fake demo data (example.org addresses, 'Demo' names) "
        "for benchmarks and load tests. Safe to run twice: numbered records that exist are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=0)
        parser.add_argument("--resources", type=int, default=0)
        parser.add_argument("--events", type=int, default=0)
        parser.add_argument("--dry-run", action="store_true", help="count only, save nothing")

    def handle(self, *args, members, resources, events, dry_run, **options):
        started = time.monotonic()
        with transaction.atomic():
            for label, count, create in [
                ("members", members, create_members),
                ("resources", resources, create_resources),
                ("events", events, create_events),
            ]:
                if count:
                    create(count)
                    self.stdout.write(self.style.SUCCESS(f"{count} demo {label}"))
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: nothing saved.")
        if not dry_run:
            # Fresh planner statistics: a bulk load leaves none until autovacuum gets to it
            # (never, where autovacuum is off), and the searches' plans depend on them (a
            # full-text match estimated at 1 row of 36,000 picks nested loops everywhere).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s")
