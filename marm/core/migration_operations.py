"""Migration operations marm's own migrations share."""

from django.db import migrations


def sql_per_vendor(forward: dict[str, list[str]], reverse: dict[str, list[str]]) -> migrations.RunPython:
    """Run the statements listed for the database in use ("postgresql", "sqlite"), and nothing on others.

    For what one database does with its own features (trigram indexes,
    FTS5 tables, triggers) where the other needs something else.
    """

    def run(statements):
        def apply(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql, params=None)

        return apply

    return migrations.RunPython(run(forward), run(reverse), elidable=False)
