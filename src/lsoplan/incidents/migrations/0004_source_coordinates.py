"""The coordinates as the file gave them, with the file's CRS, beside the SWEREF 99 TM ones.

All three columns are nullable, without a default and without a CHECK constraint: on PostgreSQL
adding them changes only the catalogue, and SQLite adds them with ALTER TABLE ADD COLUMN, so a table
of millions of incidents is neither rewritten nor scanned. Existing rows keep null (their x/y are
what they were); a re-import of a foreign file fills them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_incident_fillfactor"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="source_epsg",
            field=models.IntegerField(blank=True, null=True, verbose_name="källans koordinatsystem (EPSG)"),
        ),
        migrations.AddField(
            model_name="incident",
            name="source_x",
            field=models.FloatField(blank=True, null=True, verbose_name="x som i källan"),
        ),
        migrations.AddField(
            model_name="incident",
            name="source_y",
            field=models.FloatField(blank=True, null=True, verbose_name="y som i källan"),
        ),
        migrations.AddField(
            model_name="incidentprevious",
            name="source_epsg",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="incidentprevious",
            name="source_x",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="incidentprevious",
            name="source_y",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
