from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "marm.board"
    label = "board"
    verbose_name = "Safeguarding Adults Board"
