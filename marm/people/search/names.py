"""Names as people type them, and how closely two names agree.

Every engine finds candidates its own way; this one scorer ranks them, so a
search means the same on PostgreSQL and on SQLite (ADR 0013).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, Indel, JaroWinkler

_NOT_A_LETTER = re.compile(r"[^a-z ]+")
# One slip of the keyboard (a letter added, dropped, changed, or two swapped)
# scores this much wherever it falls: Jaro-Winkler alone marks a slip in the
# first letters of a short name far down ("mya" for May: 0.67), below longer
# names that merely share a beginning.
ONE_SLIP = 0.95
# Names shorter than this are too short for one slip to say much ("al", "ed").
ONE_SLIP_MIN_LENGTH = 3
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, hyphens as spaces: 'O'Brien-Zoë' -> 'obrien zoe'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("-", " ")
    return _SPACES.sub(" ", _NOT_A_LETTER.sub("", plain)).strip()


def words(text: str) -> list[str]:
    return normalise(text).split()


@lru_cache(maxsize=65536)
def sounds_like(word: str) -> str:
    return jellyfish.metaphone(word) if word else ""


def sounds_like_key(name: str) -> str:
    """The phonetic key of a whole first or last name as recorded ('Mary-Ann' -> key of 'maryann')."""
    return sounds_like(normalise(name).replace(" ", ""))


def word_similarity(typed: str, recorded: str) -> tuple[float, str]:
    """0..1 with how: same spelling, sounds the same, one letter out, an initial, or spelt similarly."""
    if not typed or not recorded:
        return 0.0, ""
    if typed == recorded:
        return 1.0, "same"
    # Jaro-Winkler favours a shared beginning; Indel forgives a slip in the first letters.
    spelling = max(JaroWinkler.normalized_similarity(typed, recorded), Indel.normalized_similarity(typed, recorded))
    slip = min(len(typed), len(recorded)) >= ONE_SLIP_MIN_LENGTH and OSA.distance(typed, recorded, score_cutoff=1) <= 1
    if sounds_like(typed) == sounds_like(recorded):
        return max(spelling, ONE_SLIP if slip else 0.92), "sounds"
    if slip:
        return max(spelling, ONE_SLIP), "slip"
    if len(typed) == 1 and recorded.startswith(typed):
        return 0.8, "initial"
    return spelling, "similar"


@dataclass(frozen=True)
class RecordedName:
    given: str  # normalised first name(s)
    family: str  # normalised last name
    middle: str = ""
    kind: str = "recorded"  # "recorded", "preferred" or "other"


@dataclass(frozen=True)
class NameAgreement:
    score: float
    reasons: tuple[str, ...]


def _best(typed_options: list[str], recorded: str) -> tuple[float, str]:
    return max((word_similarity(option, recorded) for option in typed_options if option), default=(0.0, ""))


def compare(typed: str, recorded: RecordedName) -> NameAgreement:
    """How well the name typed agrees with one recorded name.

    The first word typed is taken as a first name and the last (or all but
    the first) as the last name, then the other way round: names are often
    given surname first (000: "swapped names"). Middle names are neither
    needed nor held against a match.
    """
    tokens = words(typed)
    if not tokens:
        return NameAgreement(0.0, ())
    given_first = recorded.given.split()[0] if recorded.given else ""
    if len(tokens) == 1:
        # One word: it may be either name, and says less than two.
        family, family_how = word_similarity(tokens[0], recorded.family)
        given, given_how = word_similarity(tokens[0], given_first)
        if family >= given:
            return NameAgreement(0.85 * family, (_how(family_how, "last name", family), "Only one name given"))
        return NameAgreement(0.85 * given, (_how(given_how, "first name", given), "Only one name given"))

    first, rest, last = tokens[0], " ".join(tokens[1:]), tokens[-1]
    head = " ".join(tokens[:-1])
    straight_given, straight_given_how = word_similarity(first, given_first)
    straight_family, straight_family_how = _best([rest, last], recorded.family)
    swapped_given, swapped_given_how = word_similarity(last, given_first)
    swapped_family, swapped_family_how = _best([head, first], recorded.family)
    straight = (straight_given + straight_family) / 2
    swapped = (swapped_given + swapped_family) / 2
    reasons = []
    if swapped > straight + 0.01:
        score = swapped
        reasons += [
            _how(swapped_given_how, "first name", swapped_given),
            _how(swapped_family_how, "last name", swapped_family),
        ]
        reasons.append("First and last names swapped")
    else:
        score = straight
        reasons += [
            _how(straight_given_how, "first name", straight_given),
            _how(straight_family_how, "last name", straight_family),
        ]
    if recorded.middle and len(tokens) == 2:
        reasons.append("Middle names not given")
    if recorded.kind == "preferred":
        reasons.append("Matches the name they prefer")
    elif recorded.kind == "other":
        reasons.append("Matches another name they are known by")
    return NameAgreement(score, tuple(r for r in reasons if r))


def _how(how: str, part: str, score: float) -> str:
    if how == "similar" and score < 0.8:
        return f"{part.capitalize()} differs"
    return {
        "same": f"Same {part}",
        "sounds": f"{part.capitalize()} sounds the same",
        "initial": f"Initial of the {part}",
        "similar": f"{part.capitalize()} spelt similarly",
        "slip": f"{part.capitalize()} one letter out",
    }.get(how, "")


def recorded_names(person) -> list[RecordedName]:
    """The person's name, the name they prefer and their other names (aliases must be prefetched)."""
    aliases = [(alias.given_name, alias.family_name) for alias in person.aliases.all()]
    return names_of(person.given_name, person.middle_names, person.family_name, person.preferred_name, aliases)


def names_of(given_name, middle_names, family_name, preferred_name, aliases=()) -> list[RecordedName]:
    """The same from the columns alone: aliases as (first name, last name) pairs."""
    family = normalise(family_name)
    names = [RecordedName(normalise(given_name), family, normalise(middle_names))]
    if preferred_name:
        names.append(RecordedName(normalise(preferred_name), family, kind="preferred"))
    for alias_given, alias_family in aliases:
        names.append(
            RecordedName(normalise(alias_given) or names[0].given, normalise(alias_family) or family, kind="other")
        )
    return names
