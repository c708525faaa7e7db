"""CSV exports opened in spreadsheets."""


def safe_cell(value):
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
