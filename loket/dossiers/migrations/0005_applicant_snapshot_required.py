"""Step 3 of 3: every dossier now has its applicant's birth date (0004), so it is required;
and the staff search by NIK gets its index."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0004_applicant_snapshot_data'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dossier', name='applicant_birth_date',
            field=models.DateField(verbose_name='Tanggal lahir'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['office', 'applicant_nik'], name='dossiers_do_office__1206be_idx'),
        ),
    ]
