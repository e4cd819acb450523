"""The plan's tests use the meetings' case: accepted, with a lead professional, shared with the police."""

from tests.meetings.conftest import planning_case, planning_meeting  # noqa: F401
