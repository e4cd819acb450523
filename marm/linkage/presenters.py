"""Display formatting for record linkage."""


def splink_words(probability: float | None) -> str:
    """Splink's match probability in words for the import preview: "Splink: 97% likely the same person".

    Never 0% or 100%: a model's probability is never certainty."""
    if probability is None:
        return ""
    if probability > 0.99:
        percent = "over 99%"
    elif probability < 0.01:
        percent = "under 1%"
    else:
        percent = f"{round(probability * 100)}%"
    return f"Splink: {percent} likely the same person"
