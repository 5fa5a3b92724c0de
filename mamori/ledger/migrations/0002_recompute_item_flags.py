"""Recompute the stored flags from the one item vocabulary (mamori.core.vocabulary).

Before it, a bank account number alone set ``has_financial`` in the ledger while the rules engine
did not treat it as 規則7条2号 data; the vocabulary now gives one answer (see its BANK_ACCOUNT rule).
"""

from django.db import migrations


def recompute(apps, schema_editor):
    from mamori.core.vocabulary import flags

    DataAsset = apps.get_model("ledger", "DataAsset")
    for asset in DataAsset.objects.all().only(
        "id", "items", "special_care", "has_special_care", "has_my_number", "has_financial"
    ):
        f = flags(asset.items or [], asset.special_care or [])
        stored = (asset.has_special_care, asset.has_my_number, asset.has_financial)
        if stored != (f["special_care"], f["my_number"], f["financial"]):
            DataAsset.objects.filter(pk=asset.pk).update(
                has_special_care=f["special_care"], has_my_number=f["my_number"], has_financial=f["financial"]
            )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
