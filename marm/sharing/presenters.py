"""Display formatting for sharing decisions: the same words on the decision and in the disclosure log."""

from dataclasses import dataclass

from django.utils.dateformat import format as format_date

from marm.sharing.models import AdultNotToldReason, AdultTold, QualityTest, SharingBasis

WITHOUT_CONSENT = "Shared without the adult's consent"


@dataclass(frozen=True)
class QualityResult:
    label: str
    met: bool


def quality_tests_text(quality_tests) -> str:
    """The information-quality tests confirmed, as a sentence, in the order 001 3.3 lists them."""
    confirmed = [test.label.lower() for test in QualityTest if test.value in set(quality_tests)]
    if not confirmed:
        return "No information-quality tests were recorded."
    listed = confirmed[0] if len(confirmed) == 1 else f"{', '.join(confirmed[:-1])} and {confirmed[-1]}"
    return f"The information was confirmed {listed}."


def quality_results(quality_tests) -> list[QualityResult]:
    """Each of the six tests (001 3.3), in order, as met or not."""
    confirmed = set(quality_tests)
    return [QualityResult(test.label, test.value in confirmed) for test in QualityTest]


def adult_told_text(sharing) -> str:
    """Whether the adult was told of a share against their wishes: when and by whom, or why not."""
    if sharing.adult_told == AdultTold.YES:
        when = format_date(sharing.adult_told_on, "j F Y") if sharing.adult_told_on else "on a date not recorded"
        return f"The adult was told about this share on {when} by {sharing.adult_told_by}."
    if sharing.adult_told == AdultTold.NO:
        reason = (
            AdultNotToldReason(sharing.adult_not_told_reason).label.lower() if sharing.adult_not_told_reason else ""
        )
        text = f"The adult has not been told about this share: {reason}." if reason else "The adult has not been told."
        if sharing.adult_not_told_details:
            text = f"{text} {sharing.adult_not_told_details}"
        return text
    return ""


def sharing_facts_text(sharing) -> str:
    """The grounds, the adult's wishes, whether they were told and the six tests: the decision's text."""
    lines = [f"Grounds: {SharingBasis(sharing.basis).label}."]
    if sharing.basis != SharingBasis.CONSENT:
        lines.append(f"{WITHOUT_CONSENT}.")
    if sharing.against_wishes:
        lines.append(f"The adult has not agreed to share their information with {sharing.agency}.")
        lines.append(adult_told_text(sharing))
    lines.append(quality_tests_text(sharing.quality_tests))
    return "\n".join(line for line in lines if line)
