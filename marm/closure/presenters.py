"""How the closure app's records read: stored codes as the guidance's words."""

from marm.closure import vocab


def labels(codes, choices) -> list[str]:
    names = dict(choices.choices)
    return [names[code] for code in codes if code in names]


def reflection(review) -> dict:
    answers = dict(vocab.ReflectiveAnswer.choices)
    return {
        "colluding": [
            (question, answers.get(review.colluding_answers.get(code), "Not answered"))
            for code, question in vocab.ColludingQuestion.choices
        ],
        "concerns": labels(review.concerns, vocab.ConcernRaised),
        "next_steps": labels(review.next_steps, vocab.NextStep),
    }
