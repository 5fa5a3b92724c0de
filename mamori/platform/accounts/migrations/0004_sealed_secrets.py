"""TOTP secrets sealed with a key derived from the secret key; sessions stored by keyed hash.

Existing secrets are sealed in place. Existing sessions (stored by their clear key) are deleted:
everyone signs in once more after the upgrade.
"""

from django.db import migrations, models

from mamori.sealing import is_sealed, seal, unseal


def seal_totp_secrets(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("pk", "totp_secret"):
        if not is_sealed(user.totp_secret):
            User.objects.filter(pk=user.pk).update(totp_secret=seal(user.totp_secret, "totp"))


def open_totp_secrets(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("pk", "totp_secret"):
        if is_sealed(user.totp_secret):
            User.objects.filter(pk=user.pk).update(totp_secret=unseal(user.totp_secret, "totp"))


def end_clear_sessions(apps, schema_editor):
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_labels"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(seal_totp_secrets, open_totp_secrets),
        migrations.RunPython(end_clear_sessions, migrations.RunPython.noop),
    ]
