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
    return pairs[[column for column in keep if column in pairs.columns]]


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
