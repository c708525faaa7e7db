"""Per language, how much of the network's own content is missing or outdated in translation.

    python manage.py content_report             # every language, every kind of content
    python manage.py content_report -l ar       # one language
    python manage.py content_report --fail      # exit 1 when anything is missing or outdated

Like `catalogue_report` for the interface's strings; the back office's "To translate" page
(/admin/translations/) lists the objects themselves.
"""

from django.core.management.base import BaseCommand, CommandError

from core.content_translation import report, target_languages


class Command(BaseCommand):
    help = "Count the network's content that is missing or outdated in each language."

    def add_arguments(self, parser):
        parser.add_argument("-l", "--language", action="append", dest="languages")
        parser.add_argument("--fail", action="store_true", help="Exit 1 if anything is left.")

    def handle(self, *args, languages=None, fail=False, **options):
        unknown = set(languages or []) - set(target_languages())
        if unknown:
            raise CommandError(f"Not a translated language: {', '.join(sorted(unknown))}")
        rows = report(languages)
        left = 0
        for code in languages or target_languages():
            mine = [r for r in rows if r["language"] == code]
            totals = {k: sum(r[k] for r in mine) for k in mine[0] if k not in ("language", "kind")}
            style = self.style.SUCCESS
            if totals["missing_objects"] or totals["outdated_objects"]:
                style = self.style.WARNING
            self.stdout.write(
                style(
                    f"{code}: {totals['objects']} objects, "
                    f"{totals['missing_objects']} missing ({totals['missing_fields']} fields), "
                    f"{totals['outdated_objects']} outdated ({totals['outdated_fields']} fields)"
                )
            )
            for r in mine:
                if r["missing_objects"] or r["outdated_objects"]:
                    self.stdout.write(
                        f"  {r['kind']}: {r['missing_objects']} missing, "
                        f"{r['outdated_objects']} outdated of {r['objects']}"
                    )
            left += totals["missing_objects"] + totals["outdated_objects"]
        if fail and left:
            raise CommandError(f"{left} objects to translate")
