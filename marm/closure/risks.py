"""The risks identified on a case, which closure must account for one by one (000 6.2)."""

from dataclasses import dataclass

from marm.cases.models import Case
from marm.cases.vocab import RiskCategory
from marm.risk.selectors import agreed_version_for_case

CONCERN = "concern"
RISK_ASSESSMENT = "assessment"


@dataclass(frozen=True)
class IdentifiedRisk:
    source: str
    code: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.source}-{self.code}"


def identified_risks(case: Case) -> list[IdentifiedRisk]:
    """The risks the latest agreed risk assessment identified (000 4.4: the aspects rated above the
    lowest level); before any is agreed, the categories of risk recorded on the concern (000 I.4)."""
    version = agreed_version_for_case(case)
    if version is not None:
        return [
            IdentifiedRisk(RISK_ASSESSMENT, row.aspect, f"{row.get_aspect_display()} ({row.get_level_display()} risk)")
            for row in version.identified_risks()
        ]
    return [
        IdentifiedRisk(CONCERN, code, label) for code, label in RiskCategory.choices if code in case.risk_categories
    ]
