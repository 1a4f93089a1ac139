"""Publication dates as sources write them, read into ISO 8601."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

# Besides ISO 8601 and RFC 2822 (RSS): the ways English-language news writes a date.
_WRITTEN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%B %d %Y")


def iso_date(value: object) -> str:
    """`value` as an ISO 8601 date ("2024-03-05") or date and time ("2024-03-05T14:30:00+00:00").

    Raises ValueError, naming the value, when it is not a date (a bare number is not one).
    """
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
    text = " ".join(value.split())
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed.date().isoformat() if len(text) <= 10 else parsed.isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _WRITTEN_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
