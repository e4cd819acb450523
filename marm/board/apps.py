from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "marm.board"
    label = "board"
    verbose_name = "Safeguarding Adults Board"

    def ready(self):
        from marm.board.annual_report import sweep_annual_report
        from marm.notifications.sweeps import register_sweep

        register_sweep("board-annual-report", sweep_annual_report)
