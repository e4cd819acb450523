from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "marm.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self):
        from marm.api import schema  # noqa: F401 - registers the schema's security schemes
