"""Events worded when read: a code and parameters beside each entry (mamori.platform.messages).

No row is converted: entries are hash-chained, and the new fields enter the hash only when a
code is set, so older entries (no code) keep hashing, verifying and reading as their stored text."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('trail', '0002_hmac_chain'),
    ]

    operations = [
        migrations.AddField(
            model_name='trailentry',
            name='code',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='trailentry',
            name='params',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
