from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "marm.people"
    label = "people"

    def ready(self):
        from django.db.backends.signals import connection_created

        from marm.people import panels, rules  # noqa: F401  (rules registers the permissions)
        from marm.people.search.engines.sqlite import register_functions

        panels.register()

        # SQLite's search triggers compute phonetic keys with a function each connection must know (ADR 0013).
        connection_created.connect(register_functions, dispatch_uid="people-search-sqlite-functions")
