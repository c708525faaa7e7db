from django.core.management.base import BaseCommand
from django.db import transaction

from pages.history import DATA_FILE, load_history, read_history


class Command(BaseCommand):
    help = (
        "Load the network's history (gatherings, pathways, partners, resources...) from "
        "pages/data/network_history.yaml. Safe to run again: existing records are "
        "kept as edited in the back office unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DATA_FILE, help="YAML file to load")
        parser.add_argument(
            "--update", action="store_true", help="rewrite existing records from the file"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, save nothing"
        )

    def handle(self, *args, file, update, dry_run, **options):
        data = read_history(file)
        with transaction.atomic():
            counts = load_history(data, update=update)
            if dry_run:
                transaction.set_rollback(True)
        verb = "Would write" if dry_run else "Wrote"
        if not counts:
            self.stdout.write(self.style.SUCCESS("Network history already loaded: nothing to do."))
        for label, count in sorted(counts.items()):
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} {label}"))
