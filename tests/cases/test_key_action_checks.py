"""The key-action check registry: an app above the case layer makes an item depend on its records."""

import datetime

from marm.cases import key_action_checks
from marm.cases.key_action_checks import Since, key_actions_not_borne_out, register_key_action_check


def test_only_codes_with_a_check_are_checked_and_the_check_is_told_since_when(monkeypatch):
    monkeypatch.setattr(key_action_checks, "_checks", {})
    seen = []

    def check(*, case, since):
        seen.append((case, since))
        return "" if case == "done" else "Not in the records"

    register_key_action_check("update_assessment", check)
    since = Since(day=datetime.date(2026, 3, 2), closed_at=datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC))
    assert key_actions_not_borne_out(case="open", codes=["update_assessment", "other"], since=since) == {
        "update_assessment": "Not in the records"
    }
    assert key_actions_not_borne_out(case="done", codes=["update_assessment"], since=None) == {}
    assert seen == [("open", since), ("done", None)]


def test_the_risk_app_registers_the_review_check():
    assert key_action_checks.has_check("update_assessment")
