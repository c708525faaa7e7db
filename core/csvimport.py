"""Reading an uploaded CSV file for an import: the one reader every app uses.

`read_csv()` decodes the file (UTF-8 with or without BOM, UTF-16 with BOM), refuses what
is not a CSV file, picks the delimiter (comma, semicolon or tab, as spreadsheets save
them), matches the header whatever its letter case, and returns the rows with the
problems found in each, by row (as a spreadsheet counts them: the header is row 1) and
column. A problem with the file as a whole raises `CSVFileError`. Nothing here raises
anything else for any input, so no file can turn an import into a server error.

`check_length()` and `country_code()` are the per-cell checks the imports share, so the
same problem gets the same words in every import.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

MAX_COLUMNS = 50
# The csv module's own limit on one cell (131,072 characters); a longer cell is a row error.
MAX_CELL = csv.field_size_limit()
DELIMITERS = [",", ";", "\t"]
# What spreadsheet and other binary files start with; never CSV text.
BINARY_SIGNATURES = {
    b"PK\x03\x04": "xlsx",
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\x1f\x8b": "gzip",
}


class CSVFileError(Exception):
    """The file as a whole cannot be read; str() is the message for the person."""


@dataclass
class Row:
    number: int  # as a spreadsheet counts: the header is row 1
    values: dict  # column -> the cell's text, stripped ("" when absent)
    errors: dict = field(default_factory=dict)  # column ("" for the whole row) -> message

    def error(self, column, message):
        """Record a problem; the first one found for a column is the one shown."""
        self.errors.setdefault(column, str(message))


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def normalise_header(name):
    return "_".join(str(name or "").replace("\ufeff", "").strip().lower().replace("-", " ").split())


def decode(raw):
    """The file's text, or CSVFileError."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        for signature in BINARY_SIGNATURES:
            if raw.startswith(signature):
                raise CSVFileError(
                    _(
                        "This is a spreadsheet or another binary file, not CSV text. "
                        "Save it as “CSV UTF-8” and choose that file."
                    )
                )
        encoding = "utf-8"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise CSVFileError(
            _(
                "The file is not UTF-8 text (it may be Latin-1 or Windows-1252, or not text "
                "at all). Save it as “CSV UTF-8” and choose that file."
            )
        ) from None


def _delimiter(first_line, required):
    """The delimiter that makes the header name the required columns (comma by default)."""
    best, best_count = ",", -1
    for delimiter in DELIMITERS:
        names = {normalise_header(n) for n in first_line.split(delimiter)}
        count = len(names & set(required))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def read_csv(upload, *, columns, required, max_rows):
    """The rows of an uploaded CSV file, checked for what any import needs.

    `columns`: the column names the import knows (any letter case, spaces or hyphens for
    underscores in the file); `required`: those the header must have. Row problems
    (a cell over the csv module's limit, a NUL character, more cells than columns) are
    in each Row's `errors`; the importer adds its own. Raises CSVFileError for the file.
    """
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise CSVFileError(_too_big(limit))
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise CSVFileError(_too_big(limit))
    if not raw.strip():
        raise CSVFileError(_("The file is empty."))
    text = decode(raw)
    if not text.strip():
        raise CSVFileError(_("The file is empty."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff")), delimiter=_delimiter(first_line, required)
    )
    try:
        header = next(reader)
    except csv.Error:
        raise CSVFileError(_("The first row must name the columns.")) from None
    header = [normalise_header(name) for name in header]
    _check_header(header, columns, required)
    rows = []
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            row = Row(number=number, values=dict.fromkeys(columns, ""))
            row.error(
                "",
                _("A cell is longer than %(max)s characters, or quoted wrongly.")
                % {"max": f"{MAX_CELL:,}"},
            )
            rows.append(row)
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, or a spreadsheet's empty rows (",,,,")
        if len(rows) >= max_rows:
            raise CSVFileError(
                ngettext(
                    "At most %(n)s row per file: split it into smaller files.",
                    "At most %(n)s rows per file: split it into smaller files.",
                    max_rows,
                )
                % {"n": f"{max_rows:,}"}
            )
        values = dict.fromkeys(columns, "")
        row = Row(number=number, values=values)
        for name, cell in zip(header, cells, strict=False):
            if name:
                values[name] = cell.strip()
                if "\x00" in cell:
                    values[name] = cell.replace("\x00", "").strip()
                    row.error(name, _("Contains a NUL character (the file may not be text)."))
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            row.error(
                "",
                _("This row has %(n)d cells but the header names %(columns)d columns.")
                % {"n": len(cells), "columns": len(header)},
            )
        rows.append(row)
    if not rows:
        raise CSVFileError(_("The file has a header row but no rows under it."))
    return rows


def _too_big(limit):
    return _("The file is larger than %(mb)s MB: split it into smaller files.") % {
        "mb": f"{limit / 1024 / 1024:g}"
    }


def _check_header(header, columns, required):
    if len(header) > MAX_COLUMNS:
        raise CSVFileError(
            _("The header row has %(n)s columns; an import has at most %(max)d.")
            % {"n": f"{len(header):,}", "max": MAX_COLUMNS}
        )
    expected = ", ".join(columns)
    seen, twice = set(), []
    for name in header:
        if name in seen and name not in twice:
            twice.append(name)
        seen.add(name)
    if twice:
        raise CSVFileError(
            _("The header row names the column(s) %(columns)s twice.")
            % {"columns": ", ".join(twice)}
        )
    unknown = [name for name in header if name and name not in columns]
    if unknown:
        raise CSVFileError(
            _("Unknown column(s): %(unknown)s. The columns are: %(expected)s.")
            % {"unknown": ", ".join(n[:40] for n in unknown[:10]), "expected": expected}
        )
    missing = [name for name in required if name not in header]
    if missing:
        raise CSVFileError(
            _("The header row lacks the column(s): %(missing)s. The columns are: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": expected}
        )


def check_length(row, column, model, field_name=None, value=None):
    """Record an error when the cell is longer than the model field allows; True if fine."""
    value = row.values[column] if value is None else value
    limit = model._meta.get_field(field_name or column).max_length
    if limit and len(value) > limit:
        row.error(column, length_message(limit, len(value)))
        return False
    return True


def length_message(limit, length):
    return _("At most %(max)d characters (this has %(n)s).") % {"max": limit, "n": f"{length:,}"}


COUNTRY_BY_NAME = {str(name).lower(): code for code, name in countries}
COUNTRY_CODES = frozenset(code for code, _name in countries)


def country_code(value):
    """An ISO 3166 code from a code or English name (any case); "" for empty.

    Raises ValidationError with the shared wording for anything else.
    """
    value = value.strip()
    if not value:
        return ""
    if value.upper() in COUNTRY_CODES:
        return value.upper()
    code = COUNTRY_BY_NAME.get(value.lower())
    if code:
        return code
    raise ValidationError(
        _("“%(value)s” is not a country code (ISO 3166, e.g. GH) or an English country name.")
        % {"value": value[:60]}
    )
