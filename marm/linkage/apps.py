from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "marm.linkage"
    label = "linkage"
    verbose_name = "Records of the same person"

    def ready(self):
        from marm.linkage import panels

        panels.register()
        from marm.linkage import rules  # noqa: F401  (registers the named permissions)
