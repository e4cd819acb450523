from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "marm.audit"
    label = "audit"
    verbose_name = "Audit trail"
