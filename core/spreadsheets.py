"""CSV exports opened in spreadsheets."""

import csv

from django.http import StreamingHttpResponse


def safe_cell(value):
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Echo:
    """A file for csv.writer whose write() hands the line back, so rows can be streamed."""

    def write(self, value):
        return value


def csv_download(rows, filename):
    """A streamed CSV attachment of `rows`, every cell formula-safe."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([safe_cell(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
