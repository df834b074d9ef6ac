"""The database itself refuses a staff member whose unit belongs to another office.

Django has no composite foreign key ((unit_id, office_id) → unit (id, office_id)), so two
triggers keep the rule on SQLite and PostgreSQL alike:

- writing a staff row (insert, or an update of its unit or office) fails when the unit is of
  another office;
- moving a unit to another office fails while staff of the old office work in it.

``offices.services.staff_check`` says the same in Indonesian before anything is written; the
triggers are the last line for any other writer (a script, a future bug). Note for later
migrations: on SQLite, Django rebuilds a table it alters and drops its triggers with it; a
migration that alters ``offices_staff`` or ``offices_unit`` must create these triggers again
(tests/offices/test_admin_scope.py checks the refusal on every run).
"""

from django.db import migrations

SQLITE = [
    # (create, drop)
    ("""CREATE TRIGGER offices_staff_unit_office_insert BEFORE INSERT ON offices_staff
        FOR EACH ROW WHEN NEW.unit_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM offices_unit WHERE id = NEW.unit_id AND office_id = NEW.office_id)
        BEGIN SELECT RAISE(ABORT, 'offices_staff: unit belongs to another office'); END""",
     "DROP TRIGGER IF EXISTS offices_staff_unit_office_insert"),
    ("""CREATE TRIGGER offices_staff_unit_office_update BEFORE UPDATE OF unit_id, office_id ON offices_staff
        FOR EACH ROW WHEN NEW.unit_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM offices_unit WHERE id = NEW.unit_id AND office_id = NEW.office_id)
        BEGIN SELECT RAISE(ABORT, 'offices_staff: unit belongs to another office'); END""",
     "DROP TRIGGER IF EXISTS offices_staff_unit_office_update"),
    ("""CREATE TRIGGER offices_unit_keeps_staff_office BEFORE UPDATE OF office_id ON offices_unit
        FOR EACH ROW WHEN EXISTS (
            SELECT 1 FROM offices_staff WHERE unit_id = NEW.id AND office_id <> NEW.office_id)
        BEGIN SELECT RAISE(ABORT, 'offices_unit: staff of another office work in this unit'); END""",
     "DROP TRIGGER IF EXISTS offices_unit_keeps_staff_office"),
]

POSTGRESQL = [
    # FOR SHARE holds the unit row until the staff row is committed, so a concurrent move of
    # the unit waits and then sees the staff row in its own check.
    ("""CREATE FUNCTION offices_staff_unit_office() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.unit_id IS NOT NULL THEN
                PERFORM 1 FROM offices_unit WHERE id = NEW.unit_id AND office_id = NEW.office_id FOR SHARE;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'offices_staff: unit % belongs to another office', NEW.unit_id
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            END IF;
            RETURN NEW;
        END $$""",
     "DROP FUNCTION IF EXISTS offices_staff_unit_office()"),
    ("""CREATE TRIGGER offices_staff_unit_office BEFORE INSERT OR UPDATE OF unit_id, office_id ON offices_staff
        FOR EACH ROW EXECUTE FUNCTION offices_staff_unit_office()""",
     "DROP TRIGGER IF EXISTS offices_staff_unit_office ON offices_staff"),
    ("""CREATE FUNCTION offices_unit_keeps_staff_office() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM offices_staff WHERE unit_id = NEW.id AND office_id <> NEW.office_id) THEN
                RAISE EXCEPTION 'offices_unit: staff of another office work in unit %', NEW.id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$""",
     "DROP FUNCTION IF EXISTS offices_unit_keeps_staff_office()"),
    ("""CREATE TRIGGER offices_unit_keeps_staff_office BEFORE UPDATE OF office_id ON offices_unit
        FOR EACH ROW EXECUTE FUNCTION offices_unit_keeps_staff_office()""",
     "DROP TRIGGER IF EXISTS offices_unit_keeps_staff_office ON offices_unit"),
]


def _statements(vendor: str):
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])


def create(apps, schema_editor):
    for sql, _ in _statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)  # no placeholders: "%" is plpgsql's


def drop(apps, schema_editor):
    for _, sql in reversed(_statements(schema_editor.connection.vendor)):
        schema_editor.execute(sql, params=None)  # no placeholders: "%" is plpgsql's


class Migration(migrations.Migration):

    dependencies = [
        ("offices", "0002_holiday"),
    ]

    operations = [migrations.RunPython(create, drop)]
