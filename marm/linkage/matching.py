"""Probabilistic record linkage with Splink on DuckDB (ADR 0014): which records may be the same person.

Everything runs in an in-memory DuckDB database inside this process: no
data leaves it, and nothing is downloaded (Splink's example data sets are
never used). The model is trained on the records it scores (expectation
maximisation), so it needs no labelled pairs.
"""

import logging

import pandas as pd

# The columns a frame handed to likely_duplicates must have; None where unknown.
COLUMNS = ["unique_id", "first_name", "surname", "date_of_birth", "birth_year", "postcode", "nhs_number"]
# What each compared field is called in the report.
FIELDS = {
    "first_name": "First name",
    "surname": "Last name",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
    "nhs_number": "NHS number",
}


def record(unique_id, *, given_name, family_name, date_of_birth, exact_date, postcode, nhs_number) -> dict:
    """One record's matching fields as the model compares them: names normalised (ADR 0013), the date
    of birth only when exact (a partial date says nothing about the day; its year still blocks),
    the postcode without spaces."""
    from marm.people.search.names import normalise

    return {
        "unique_id": str(unique_id),
        "first_name": normalise(given_name or "") or None,
        "surname": normalise(family_name or "") or None,
        "date_of_birth": date_of_birth.isoformat() if date_of_birth and exact_date else None,
        "birth_year": str(date_of_birth.year) if date_of_birth else None,
        "postcode": (postcode or "").replace(" ", "").upper() or None,
        "nhs_number": nhs_number or None,
    }


def _settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("surname", "birth_year"),
            block_on("first_name", "birth_year"),
            block_on("date_of_birth"),
            block_on("nhs_number"),
            block_on("first_name", "surname"),
            block_on("postcode", "first_name"),
        ],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("nhs_number"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        # Prior that two records picked at random are the same person, when it cannot be estimated.
        probability_two_random_records_match=0.0001,
    )


def likely_duplicates(frame: pd.DataFrame, *, threshold: float = 0.9, log_level: int = logging.WARNING) -> pd.DataFrame:
    """Pairs of records scored at or above ``threshold``: unique_id_l, unique_id_r, match_probability,
    match_weight and, for each field in FIELDS, its part of the weight (``mw_<field>``: above 0 the
    field agrees, below 0 it differs, 0 when it is not recorded on both)."""
    return likely_duplicates_and_model(frame, threshold=threshold, log_level=log_level)[0]


def likely_duplicates_and_model(
    frame: pd.DataFrame, *, threshold: float = 0.9, log_level: int = logging.WARNING
) -> tuple[pd.DataFrame, dict]:
    """The pairs ``likely_duplicates`` finds, and the model trained to find them: Splink's settings
    with the trained m and u probabilities and the prior, as a dict that JSON can hold. The model
    holds parameters and SQL, never a record."""
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(log_level)
    frame = frame[COLUMNS].copy()
    db_api = DuckDBAPI()
    records = db_api.register(frame, dataset_display_name="people")
    linker = Linker(records, _settings(), log_level=log_level)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "date_of_birth"), block_on("nhs_number")], recall=0.7
    )
    # When no pair agrees on every detail (a small or clean population) Splink
    # estimates zero, and every match weight becomes minus infinity: assume
    # instead about one record in two hundred has a twin. Splink 5 has no public
    # setter for the estimate.
    settings = linker._settings_obj
    floor = 1 / max(100 * len(frame), 1)
    if not settings._probability_two_random_records_match or settings._probability_two_random_records_match < floor:
        settings._probability_two_random_records_match = floor
    linker.training.estimate_u_using_random_sampling(max_pairs=1_000_000, seed=1)
    for blocking in (block_on("date_of_birth"), block_on("surname")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(blocking)
        except ValueError:
            # Too few pairs in a small population for the estimates to settle: Splink's
            # default m values stand for the comparisons this session would have trained.
            logging.getLogger(__name__).warning("Expectation maximisation did not converge on %s", blocking)
    pairs = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    keep = ["unique_id_l", "unique_id_r", "match_probability", "match_weight", *(f"mw_{field}" for field in FIELDS)]
    return pairs[[column for column in keep if column in pairs.columns]], linker.misc.save_model_to_json()


# The column that pairs a file's row with exactly the candidates found for it (score_pairs).
PAIR_KEY = "pair_key"


def score_pairs(
    model: dict,
    left: pd.DataFrame,
    right: pd.DataFrame,
    pairs: list[tuple[str, str]],
    *,
    log_level: int = logging.WARNING,
) -> dict[tuple[str, str], float]:
    """The match probability of each pair (a ``left`` unique_id, a ``right`` unique_id) under a
    model kept by ``likely_duplicates_and_model``, all pairs in one Splink run.

    Nothing is trained: the kept m and u probabilities and prior score the pairs. Term frequency
    adjustments are left out: the nightly run weighs a name by how common it is in the whole
    population, a table of people's names the kept model does not hold, and frequencies counted
    in a file and a few candidates would be noise; an exact name weighs its average instead.

    The run is a ``link_only`` link of two small frames in an in-memory DuckDB, blocked on a pair
    key so that it compares exactly the pairs given and no others: each right record is repeated
    once per left record it is paired with, under that left record's key.
    """
    from splink import DuckDBAPI, Linker

    if not pairs:
        return {}
    logging.getLogger("splink").setLevel(log_level)
    left = left[COLUMNS].drop_duplicates("unique_id").assign(**{PAIR_KEY: lambda f: f["unique_id"]})
    by_id = right[COLUMNS].drop_duplicates("unique_id").set_index("unique_id", drop=False)
    wanted = [(str(one), str(other)) for one, other in pairs if str(other) in by_id.index]
    if not wanted:
        return {}
    repeated = by_id.loc[[other for _, other in wanted]].reset_index(drop=True)
    repeated[PAIR_KEY] = [one for one, _ in wanted]
    repeated["unique_id"] = [f"{one}|{other}" for one, other in wanted]
    settings = {
        **model,
        "comparisons": [_without_term_frequencies(comparison) for comparison in model["comparisons"]],
        "link_type": "link_only",
        "blocking_rules_to_generate_predictions": [f'l."{PAIR_KEY}" = r."{PAIR_KEY}"'],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
        "additional_columns_to_retain": [],
    }
    db_api = DuckDBAPI()
    linker = Linker(
        [
            db_api.register(left, dataset_display_name="file"),
            db_api.register(repeated, dataset_display_name="marm"),
        ],
        settings,
        log_level=log_level,
    )
    scored = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    probabilities = {}
    for one, other, probability in zip(
        scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True
    ):
        # Only the repeated right records' ids hold "|": whichever side Splink put each frame on.
        row_id, candidate = (one, other) if "|" in str(other) else (other, one)
        probabilities[(str(row_id), str(candidate).split("|", 1)[1])] = float(probability)
    return probabilities


def _without_term_frequencies(comparison: dict) -> dict:
    levels = [
        {key: value for key, value in level.items() if key not in ("tf_adjustment_column", "tf_adjustment_weight")}
        for level in comparison["comparison_levels"]
    ]
    return {**comparison, "comparison_levels": levels}


def agreement(row) -> dict[str, str]:
    """How each field agrees in one pair, in words, without the values themselves."""
    words = {}
    for field, label in FIELDS.items():
        weight = row.get(f"mw_{field}")
        if weight is None or pd.isna(weight) or abs(weight) < 0.01:
            words[label] = "Not recorded on both"
        elif weight > 0:
            words[label] = "Agrees"
        else:
            words[label] = "Differs"
    return words
