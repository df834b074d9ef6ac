"""Each dossier keeps the applicant's data as given at its intake (applicant_* columns), and
corrections of those data are recorded (Correction). Step 1 of 3: the columns, empty for the
dossiers already there (0004 fills them, 0005 makes the birth date required and adds the
search index). Three migrations, so that PostgreSQL never alters a table in the transaction
that just updated its rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATES = [('received', 'Diterima'), ('returned', 'Dikembalikan'), ('forwarded', 'Diteruskan ke Kasi'),
          ('initialled', 'Diparaf'), ('signed', 'Ditandatangani'), ('registered', 'Diregister'),
          ('handed_over', 'Diserahkan')]


def text(name, max_length, verbose_name, help_text="", **kw):
    return migrations.AddField(
        model_name='dossier', name=name,
        field=models.CharField(verbose_name, max_length=max_length, default='', help_text=help_text, **kw),
        preserve_default=False,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0002_initial'),
        ('offices', '0002_holiday'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='dossier', name='applicant',
            field=models.ForeignKey(
                help_text="The person record (look-up across visits); the dossier's own facts are the applicant_* fields.",
                on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='dossiers.applicant'),
        ),
        text('applicant_nik', 16, 'NIK', 'Nomor Induk Kependudukan (UU 24/2013 Pasal 13).'),
        text('applicant_kk_number', 16, 'Nomor KK', 'Nomor Kartu Keluarga.'),
        text('applicant_name', 150, 'Nama'),
        migrations.AddField(
            model_name='dossier', name='applicant_birth_date',
            field=models.DateField(null=True, verbose_name='Tanggal lahir'),
        ),
        text('applicant_sex', 1, 'Jenis kelamin', choices=[('L', 'Laki-laki'), ('P', 'Perempuan')]),
        text('applicant_marital_status', 20, 'Status perkawinan',
             choices=[('belum_kawin', 'Belum kawin'), ('kawin', 'Kawin'), ('cerai_hidup', 'Cerai hidup'),
                      ('cerai_mati', 'Cerai mati')]),
        text('applicant_address', 250, 'Alamat', 'Alamat (jalan, nomor).'),
        text('applicant_rt', 3, 'RT'),
        text('applicant_rw', 3, 'RW'),
        migrations.AddField(
            model_name='dossier', name='applicant_kelurahan',
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                to='offices.kelurahan', verbose_name='Kelurahan',
                help_text='Kelurahan of residence in this kecamatan; empty for a resident of elsewhere.'),
        ),
        text('applicant_phone', 20, 'Telepon/WhatsApp'),
        migrations.AddField(
            model_name='dossier', name='applicant_email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='Email'),
        ),
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(choices=[
                    ('nik', 'NIK'), ('kk_number', 'Nomor KK'), ('name', 'Nama'), ('birth_date', 'Tanggal lahir'),
                    ('sex', 'Jenis kelamin'), ('marital_status', 'Status perkawinan'), ('address', 'Alamat'),
                    ('rt', 'RT'), ('rw', 'RW'), ('kelurahan', 'Kelurahan'), ('phone', 'Telepon/WhatsApp'),
                    ('email', 'Email')], max_length=20)),
                ('old_value', models.TextField(blank=True, help_text='As stored before (a date as YYYY-MM-DD, a kelurahan as name and code).')),
                ('new_value', models.TextField(blank=True)),
                ('reason', models.TextField(help_text='Alasan koreksi, e.g. the KK shows another spelling of the name.')),
                ('state', models.CharField(choices=STATES, help_text="The dossier's state at the time.", max_length=20)),
                ('at', models.DateTimeField()),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='dossiers.dossier')),
            ],
            options={
                'verbose_name': 'koreksi data berkas',
                'verbose_name_plural': 'koreksi data berkas',
                'ordering': ['dossier', 'at', 'pk'],
                'indexes': [models.Index(fields=['dossier', 'at'], name='dossiers_co_dossier_62bc92_idx')],
            },
        ),
    ]
