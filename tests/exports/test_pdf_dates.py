"""The PDF's dates, formatted by hand (tracker.exports.pdf_data), read as Django's own
date formatting would write them: Europe/Amsterdam, Dutch month names."""

from datetime import UTC, date, datetime

import pytest
from django.utils import dateformat, timezone, translation

from tracker.exports.pdf_data import day, log_moment, long_day, moment, short_moment

MOMENTS = [
    datetime(2026, 1, 5, 13, 3, 9, tzinfo=UTC),  # winter time: 14:03
    datetime(2026, 7, 15, 23, 30, tzinfo=UTC),  # summer time: the next day, 01:30
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the night the clocks go back
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC),  # the next year in Amsterdam
]


@pytest.fixture(autouse=True)
def dutch_amsterdam():
    with translation.override("nl"), timezone.override("Europe/Amsterdam"):
        yield


@pytest.mark.parametrize("value", MOMENTS)
def test_moments_read_as_djangos_formatting(value) -> None:
    local = timezone.localtime(value)
    assert day(value) == dateformat.format(local, "j-n-Y")
    assert long_day(value) == dateformat.format(local, "j F Y")
    assert moment(value) == dateformat.format(local, "j F Y, H:i")
    assert short_moment(value) == dateformat.format(local, "j-n-Y H:i")
    assert log_moment(value) == dateformat.format(local, "j-n-Y H:i:s")


def test_dates_and_missing_values() -> None:
    assert day(date(2026, 3, 1)) == "1-3-2026"
    assert long_day(date(2026, 3, 1)) == "1 maart 2026"
    assert moment(MOMENTS[0]) == "5 januari 2026, 14:03"
    assert long_day(MOMENTS[3]) == "1 januari 2027"
    assert [f(None) for f in (day, long_day, moment, short_moment, log_moment)] == [""] * 5
