from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "marm.dashboards"
    label = "dashboards"
