from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "marm.chronology"
    label = "chronology"
    verbose_name = "Chronology"

    def ready(self):
        from marm.chronology import panels, receivers
        from marm.people.events import contact_logged

        panels.register()
        contact_logged.connect(receivers.record_contact, dispatch_uid="chronology-records-contacts")
