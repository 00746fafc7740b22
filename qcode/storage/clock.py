"""Timestamps as stored: ISO 8601 in UTC with milliseconds, so they sort as text."""

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
