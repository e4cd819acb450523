from django.apps import AppConfig


class GovukFormsConfig(AppConfig):
    name = "marm.govuk_forms"
    label = "govuk_forms"
