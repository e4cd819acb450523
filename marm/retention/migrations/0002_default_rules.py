"""The default retention schedule (ADR 0033). An administrator changes it on the rules page."""

from django.db import migrations

DEFAULTS = [
    (
        "case_closed",
        72,
        "delete",
        "Six years after closure: the limitation period for claims (Limitation Act 1980) and common "
        "local authority practice for adult safeguarding records.",
    ),
    (
        "concern_screened_out",
        24,
        "delete",
        "Two years after screening: long enough to see a pattern of concerns, no longer than needed for a "
        "concern that did not lead to MARM work (UK GDPR Art 5(1)(e)).",
    ),
    (
        "person_without_records",
        12,
        "anonymise",
        "A year after the last of their records went, or after the record last changed: the person stays "
        "only as the anonymous subject of the decisions kept (UK GDPR Art 5(1)(e)).",
    ),
]


def add_rules(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for kind, months, action, basis in DEFAULTS:
        RetentionRule.objects.get_or_create(
            kind=kind, defaults={"period_months": months, "action": action, "basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_legal_hold_and_schedule")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
