from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "marm.exports"
    label = "exports"
    verbose_name = "Exports and the calendar feed"

    def ready(self):
        from marm.exports.services import exports_expire
        from marm.notifications.sweeps import register_sweep

        register_sweep("exports-expire", exports_expire)
