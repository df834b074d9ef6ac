"""Step 2 of 3: copy each dossier's applicant data onto the dossier.

Before this release the only copy was the person record (Applicant), which every intake for
the same NIK overwrote, so it holds the data of the person's LAST intake. That is the best we
have for the address, RT/RW, kelurahan, telephone, KK, birth date, sex and marital status, and
it is copied as it is. The name is the one exception we can do better on: a registered
dossier's line in the Buku Register recorded the name at registration (RegisterEntry.name,
append-only), and that is the name the signed paper carries, so it wins over the person
record's. Nothing is deleted: the person records stay as they are."""

from django.db import migrations

FIELDS = ["nik", "kk_number", "name", "birth_date", "sex", "marital_status", "address", "rt", "rw",
          "kelurahan_id", "phone", "email"]
BATCH = 1000


def copy_applicant_onto_dossiers(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    qs = (Dossier.objects.using(schema_editor.connection.alias)
          .select_related("applicant", "register_entry").order_by("pk"))
    batch = []
    for d in qs.iterator(chunk_size=BATCH):
        a = d.applicant
        for f in FIELDS:
            setattr(d, f"applicant_{f}", getattr(a, f))
        if d.register_entry_id and d.register_entry.name:
            d.applicant_name = d.register_entry.name[:150]
        batch.append(d)
        if len(batch) >= BATCH:
            Dossier.objects.using(schema_editor.connection.alias).bulk_update(batch, [f"applicant_{f}" for f in FIELDS])
            batch = []
    if batch:
        Dossier.objects.using(schema_editor.connection.alias).bulk_update(batch, [f"applicant_{f}" for f in FIELDS])


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0003_applicant_snapshot'),
        ('registers', '0003_alter_registerbook_kind'),
    ]

    operations = [
        # Backwards: 0003's columns go away with their data; the person records were never touched.
        migrations.RunPython(copy_applicant_onto_dossiers, migrations.RunPython.noop),
    ]
