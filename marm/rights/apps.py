from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "marm.rights"
    label = "rights"
    verbose_name = "The adult's rights over their data"

    def ready(self):
        from marm.rights import panels, rules  # noqa: F401  (rules registers the named permissions)

        panels.register()
