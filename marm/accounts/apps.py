from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "marm.accounts"
    label = "accounts"
