"""The risks identified on a case, which closure must account for one by one (000 6.2)."""

from dataclasses import dataclass

from marm.cases.models import Case
from marm.cases.vocab import RiskCategory

CONCERN = "concern"


@dataclass(frozen=True)
class IdentifiedRisk:
    source: str
    code: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.source}-{self.code}"


def identified_risks(case: Case) -> list[IdentifiedRisk]:
    """The categories of risk recorded on the concern (000 I.4 a-h)."""
    return [
        IdentifiedRisk(CONCERN, code, label) for code, label in RiskCategory.choices if code in case.risk_categories
    ]
