"""Stored figures for finished quarters (ADR 0020, "Stored figures").

A measure's facts for one quarter that has ended, for one cut (the whole partnership, one
agency, one review theme, or both), so that pages read them instead of counting the casework
again. Figures, never a person or a case: the same aggregates the measures' pages show.
"""

from django.db import models


class QuarterFigure(models.Model):
    code = models.CharField(max_length=16)  # the measure's code in the registry
    quarter = models.DateField()  # the first day of the quarter
    # The cut: 0 and "" for every agency and every theme.
    cut_agency = models.PositiveIntegerField(default=0)
    cut_theme = models.CharField(max_length=30, blank=True)
    # The quarter's facts as [group, numerator, denominator, times]: ``times`` identical facts. A median
    # measure's facts are one per record (its number of days), so the year's median can be worked out
    # again exactly from the quarters.
    facts = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "quarter", "cut_agency", "cut_theme"], name="quarter_figure_once")
        ]

    def __str__(self):
        return f"{self.code} {self.quarter:%Y-%m} ({self.cut_agency or 'all'}/{self.cut_theme or 'all'})"
