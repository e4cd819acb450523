from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "marm.demo"
    label = "demo"
    verbose_name = "Demonstration data"
