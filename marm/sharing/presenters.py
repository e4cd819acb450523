"""Display formatting for sharing decisions: the same words on the decision and in the disclosure log."""

from marm.sharing.models import QualityTest


def quality_tests_text(quality_tests) -> str:
    """The information-quality tests confirmed, as a sentence, in the order 001 3.3 lists them."""
    confirmed = [test.label.lower() for test in QualityTest if test.value in set(quality_tests)]
    if not confirmed:
        return "No information-quality tests were recorded."
    listed = confirmed[0] if len(confirmed) == 1 else f"{', '.join(confirmed[:-1])} and {confirmed[-1]}"
    return f"The information was confirmed {listed}."
