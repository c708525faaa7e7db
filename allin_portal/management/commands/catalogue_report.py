"""Count untranslated and fuzzy entries in the interface catalogues (locale/*/django.po).

Run by `make messages` after `makemessages`; exits with status 1 while any entry is left,
so the list printed is the translator's to-do list.
"""

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Report untranslated and fuzzy entries per language."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="print every entry left to do")

    def handle(self, *args, **options):
        left = 0
        for code, _name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            path = settings.LOCALE_PATHS[0] / code / "LC_MESSAGES" / "django.po"
            if not path.exists():
                raise CommandError(f"{path} is missing")
            catalogue = polib.pofile(str(path))
            untranslated = catalogue.untranslated_entries()
            fuzzy = catalogue.fuzzy_entries()
            total = len([e for e in catalogue if not e.obsolete])
            style = self.style.SUCCESS if not (untranslated or fuzzy) else self.style.WARNING
            self.stdout.write(
                style(
                    f"{code}: {total} entries, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
                )
            )
            if options["list"]:
                for entry in untranslated + fuzzy:
                    self.stdout.write(f"  {entry.msgid!r}")
            left += len(untranslated) + len(fuzzy)
        if left:
            raise CommandError(f"{left} entries still need a translator (see locale/GLOSSARY.md)")
