"""Numbers sent in query strings and forms.

`str.isdigit` is true for "²" and "٣", which `int()` refuses or reads as 3: ids, pages and
years are read here, as ASCII digits only, and anything else is "no number".
"""


def parse_id(value, *, max_digits=18):
    """The non-negative integer `value` spells in at most `max_digits` ASCII digits (18 fit a
    bigint primary key), else None."""
    value = str(value if value is not None else "")
    if value.isascii() and value.isdigit() and len(value) <= max_digits:
        return int(value)
    return None
