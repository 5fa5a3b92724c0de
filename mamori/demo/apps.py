from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mamori.demo"
    verbose_name = "Sample data"

    def ready(self):
        from mamori.demo import seed
        from mamori.platform import registry

        registry.register_sample(
            registry.SampleData(seed=seed.seed_demo, message=seed.sample_message, slug_base=seed.SLUG_BASE)
        )
