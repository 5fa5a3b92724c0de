from django.apps import AppConfig


class ProvisionsConfig(AppConfig):
    name = "mamori.provisions"
    verbose_name = "Provisions"

    def ready(self):
        from mamori.platform import registry

        def asset_panel(request, obj):
            from mamori.provisions.models import ProvisionRecord, PurposeNotice

            return {
                "asset_purposes": PurposeNotice.objects.for_org(request.org).filter(
                    data_asset=obj, status="active"
                ),
                "asset_provisions": ProvisionRecord.objects.for_org(request.org)
                .filter(data_asset=obj, status="active")
                .select_related("data_asset"),
            }

        registry.register_panel(
            registry.Panel(
                "asset_provisions", "ledger.DataAsset", "provisions/panel_asset.html", asset_panel, 60
            )
        )
