"""The maintained list of legislation and guidance (000 Appendix B, 001 3.3), and
append-only decisions on PostgreSQL (amendments are new rows)."""

from django.db import migrations

REFERENCES = [
    ("care-act-2014-s1", "Care Act 2014, section 1: wellbeing", "The duty to promote the adult's wellbeing"),
    (
        "care-act-2014-s6",
        "Care Act 2014, section 6: co-operating",
        "Co-operation between local authorities and partners",
    ),
    (
        "care-act-2014-s9",
        "Care Act 2014, section 9: needs assessment",
        "Assessment of an adult's needs for care and support",
    ),
    (
        "care-act-2014-s42",
        "Care Act 2014, section 42: safeguarding enquiry",
        "The enquiry duty for abuse, neglect and self-neglect",
    ),
    ("care-act-guidance", "Care and Support Statutory Guidance", "Statutory guidance under the Care Act 2014"),
    ("mca-2005", "Mental Capacity Act 2005", "The five principles; capacity is assumed"),
    ("mca-2005-s4", "Mental Capacity Act 2005, section 4: best interests", "The best-interests checklist"),
    ("mca-code", "Mental Capacity Act Code of Practice", "Statutory guidance under the Mental Capacity Act 2005"),
    ("mha-1983", "Mental Health Act 1983", "Including section 135: warrant to search for and remove"),
    ("pha-1936", "Public Health Act 1936", "Filthy or unwholesome premises"),
    ("hspha-1968-s45", "Health Services and Public Health Act 1968, section 45", "Promoting the welfare of old people"),
    ("hsca-2008", "Health and Social Care Act 2008", "Registration and notifications"),
    ("dpa-2018", "Data Protection Act 2018 and UK GDPR", "Lawful basis for processing and sharing personal data"),
    ("hra-1998", "Human Rights Act 1998", "Including Article 8: respect for private and family life"),
    ("crime-disorder-1998-s115", "Crime and Disorder Act 1998, section 115", "Disclosure for the prevention of crime"),
    (
        "caldicott",
        "Caldicott principles",
        "Including principle 7: the duty to share can be as important as the duty to protect",
    ),
]

TRIGGER = """
CREATE TRIGGER decisions_decision_append_only
    BEFORE UPDATE OR DELETE ON decisions_decision
    FOR EACH ROW EXECUTE FUNCTION marm_audit_append_only();
"""


def add_references(apps, schema_editor):
    LegislationReference = apps.get_model("decisions", "LegislationReference")
    for order, (code, title, summary) in enumerate(REFERENCES, start=1):
        LegislationReference.objects.update_or_create(
            code=code, defaults={"title": title, "summary": summary, "sort_order": order}
        )


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS decisions_decision_append_only ON decisions_decision", params=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.RunPython(add_references, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
