"""On PostgreSQL the database itself refuses two sessions in the same location at
overlapping times, even when two organisers save at the same moment.

SQLite has no exclusion constraints, so there (and in Django's model state) the rule
lives in Session.clean(), which the admin calls. The constraint is written as SQL
because a Meta.constraints entry would break migrations on SQLite. It references
location_de, start and end: a migration renaming one of them must drop and re-create it.
btree_gist is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

CONSTRAINT = "session_no_overlap_in_location"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"""
        ALTER TABLE programme_session ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (
            location_de WITH =,
            tstzrange("start", "end", '[)') WITH &&
        )
        WHERE (location_de IS NOT NULL AND location_de <> '')
        """
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE programme_session DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0003_sessions_and_speakers"),
    ]

    operations = [
        migrations.RunPython(add_constraint, drop_constraint, elidable=False),
    ]
