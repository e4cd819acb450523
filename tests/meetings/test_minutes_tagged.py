"""The minutes are a tagged PDF (PDF/UA-1) with a language and a title, so a screen reader can follow them."""

import pytest

from marm.meetings.minutes import minutes_pdf, minutes_record
from tests.risk.helpers import inflated

pytestmark = pytest.mark.django_db


def test_the_minutes_are_a_tagged_pdf(planning_meeting):
    pdf = inflated(minutes_pdf(minutes_record(meeting_id=planning_meeting.pk)))
    assert b"/StructTreeRoot" in pdf
    assert b"/Lang" in pdf
    assert b"/DisplayDocTitle true" in pdf
