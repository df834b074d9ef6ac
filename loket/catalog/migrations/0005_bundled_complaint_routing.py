"""Editions loaded from the bundled Kartoharjo 2018 file before the complaint routing existed:
services 17 (PPAT) and 18 (sewa gedung) get the routing the file now carries (their own
complaint flowcharts; docs/complaints.md, "Reading choices (issue 17)"). A queryset update:
the edition may be locked (in force), and this is the file's own reading, not an edit of the
signed wording. A routing already present is left alone."""

from django.db import migrations

ROUTING = {
    "ppat": {"front_office": ["front_office"], "back_office": ["ppat_officer"], "direction": ["camat"],
             "units": ["ppat"]},
    "sewa-gedung": {"front_office": ["bendahara"], "back_office": ["kasi"], "direction": ["camat", "sekcam"],
                    "units": ["umum"]},
}


def bundled_routing(apps, schema_editor):
    ServiceType = apps.get_model("catalog", "ServiceType")
    rows = ServiceType.objects.filter(edition__source="kartoharjo-2018.yaml", code__in=ROUTING)
    for pk, code, handling in rows.values_list("pk", "code", "complaint_handling"):
        handling = dict(handling or {})
        if handling.get("routing"):
            continue
        handling["routing"] = ROUTING[code]
        ServiceType.objects.filter(pk=pk).update(complaint_handling=handling)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_servicetype_unit_chosen_at_intake"),
    ]

    operations = [
        migrations.RunPython(bundled_routing, migrations.RunPython.noop),
    ]
