"""tracker.demo.clock: Django's clock reads the frozen moment inside the block only,
field defaults included, and is restored after an error."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from tracker.decisions.models import Decision
from tracker.demo.clock import frozen_clock

MOMENT = datetime(2026, 8, 9, 9, 30, tzinfo=UTC)


def test_now_localdate_and_field_defaults_read_the_moment():
    with frozen_clock(MOMENT):
        assert timezone.now() == MOMENT
        assert timezone.localdate() == timezone.localtime(MOMENT).date()
        default = Decision._meta.get_field("decided_at").get_default()
        assert default == MOMENT
    assert timezone.now() > MOMENT


def test_the_real_clock_comes_back_after_an_error():
    with pytest.raises(RuntimeError), frozen_clock(MOMENT):
        raise RuntimeError("step refused")
    assert timezone.now() > MOMENT


def test_naive_and_nested_are_refused():
    with pytest.raises(ValueError, match="aware"), frozen_clock(MOMENT.replace(tzinfo=None)):
        pass
    with frozen_clock(MOMENT), pytest.raises(RuntimeError, match="nested"), frozen_clock(MOMENT):
        pass
