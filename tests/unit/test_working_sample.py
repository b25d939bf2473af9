"""The large-table engine: counts over every row, the working sample, and the split that tests on its uniform part."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, precision_score

from core.data.dataset import Dataset
from core.data.large_file import (
    LargeTableError,
    class_counts,
    draw_sample,
    guess_target_of_scan,
    scan_table,
    small_classes,
)
from core.data.prepared import prepare
from core.data.split import SplitError, make_split
from core.modelling.evaluation import metrics
from core.modelling.fitting import _fit_predict, evaluate
from core.modelling.strategies import Strategy


def table(n: int, *, rare: float, seed: int = 0, shift: float = 1.0) -> pd.DataFrame:
    """``n`` rows, a class ``1`` of share ``rare`` that sits ``shift`` apart on the first two features."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < rare).astype(np.int64)
    frame = pd.DataFrame({
        "amount": rng.normal(size=n) + shift * y, "age": rng.normal(size=n) + shift * y,
        "noise": rng.normal(size=n), "kind": rng.choice(["a", "b", "c"], n), "isFraud": y,
    })  # fmt: skip
    frame.loc[rng.random(n) < 0.01, "noise"] = np.nan
    return frame


@pytest.fixture(scope="module")
def parquet(tmp_path_factory) -> tuple[pd.DataFrame, object]:
    frame = table(40_000, rare=0.01)
    path = tmp_path_factory.mktemp("big") / "log.parquet"
    frame.to_parquet(path)
    return frame, path


def test_the_scan_counts_every_row(parquet):
    frame, path = parquet
    scan = scan_table(path, kind="Parquet")
    assert scan.n_rows == len(frame)
    assert scan.columns == tuple(frame.columns)
    assert dict(zip(scan.columns, scan.missing, strict=True)) == frame.isna().sum().to_dict()
    distinct = dict(zip(scan.columns, scan.distinct, strict=True))
    assert distinct["kind"] == 3 and distinct["isFraud"] == 2
    assert abs(distinct["amount"] - len(frame)) < 0.05 * len(frame)  # an estimate, within a few percent
    assert guess_target_of_scan(scan) == "isFraud"
    assert class_counts(scan, target="isFraud") == frame["isFraud"].value_counts().to_dict()
    with pytest.raises(LargeTableError, match="not a class label"):
        class_counts(scan, target="amount")


def test_a_csv_is_read_with_its_detected_delimiter(tmp_path):
    frame = table(3_000, rare=0.05)
    path = tmp_path / "semi.csv"
    frame.to_csv(path, sep=";", index=False)
    scan = scan_table(path, kind="CSV")
    assert scan.n_rows == 3_000 and scan.columns == tuple(frame.columns)
    sample, info = draw_sample(scan, entry="semi.csv", target="isFraud", budget=1_000)
    assert info is not None and len(sample) <= 1_000
    assert int(sample["isFraud"].sum()) == int(frame["isFraud"].sum())  # every row of the small class


def test_the_sample_holds_every_small_class_row_and_a_uniform_part(parquet):
    frame, path = parquet
    scan = scan_table(path, kind="Parquet")
    rare = int(frame["isFraud"].sum())
    sample, info = draw_sample(scan, entry="log.parquet", target="isFraud", budget=8_000, random_state=3)
    assert info is not None and info.small == (1,)
    assert len(sample) <= 8_000 and list(sample.columns) == list(frame.columns)
    assert int(sample["isFraud"].sum()) == rare
    assert info.n_uniform == 8_000 - rare
    # the uniform part has the file's mix: its share of class 1 is within binomial noise of 1 %
    share = sample.loc[info.uniform, "isFraud"].mean()
    assert abs(share - rare / len(frame)) < 4 * np.sqrt(0.01 * 0.99 / info.n_uniform)
    # every drawn row is a row of the file, with its values unchanged (float64, not float32)
    merged = sample.merge(frame, how="left", indicator=True)
    assert (merged["_merge"] == "both").all() and sample["amount"].dtype == np.float64
    again, info2 = draw_sample(scan, entry="log.parquet", target="isFraud", budget=8_000, random_state=3)
    pd.testing.assert_frame_equal(sample, again)
    assert np.array_equal(info.uniform, info2.uniform)
    other, _ = draw_sample(scan, entry="log.parquet", target="isFraud", budget=8_000, random_state=4)
    assert (
        not sample["amount"]
        .sort_values()
        .reset_index(drop=True)
        .equals(other["amount"].sort_values().reset_index(drop=True))
    )
    assert "8,000 rows" not in info.line() and f"{len(sample):,} rows" in info.line() and "40,000" in info.line()


def test_a_file_within_the_budget_is_read_whole(parquet):
    frame, path = parquet
    sample, info = draw_sample(scan_table(path, kind="Parquet"), entry="log.parquet", target="isFraud", budget=50_000)
    assert info is None and len(sample) == len(frame)


def test_small_classes_are_taken_smallest_first_within_half_the_budget():
    counts = {"a": 900_000, "b": 60_000, "c": 3_000, "d": 500}
    assert small_classes(counts, budget=200_000) == ("d", "c", "b")
    assert small_classes(counts, budget=100_000) == ("d", "c")
    assert small_classes({"a": 10, "b": 9}, budget=1_000) == ("b",)  # never the largest


def test_stopping_interrupts_the_query(parquet):
    _, path = parquet

    class Stop(Exception):
        pass

    def stop(_fraction, _message):
        raise Stop

    with pytest.raises(Stop):
        scan_table(path, kind="Parquet", progress=stop)
    seen = []
    scan_table(path, kind="Parquet", progress=lambda f, m: seen.append((f, m)))
    assert seen and seen[0][0] == 0.0 and "whole file" in seen[0][1]


def _sampled(frame: pd.DataFrame, path, *, budget: int, target: str = "isFraud"):
    scan = scan_table(path, kind="Parquet")
    sample, info = draw_sample(scan, entry=path.name, target="isFraud", budget=budget)
    ds = Dataset.from_frame(sample, name=path.name, origin="folder", sample=info)
    return prepare(ds, target=target, overrides={}), info


def test_the_split_tests_on_the_uniform_part_and_trains_on_the_rest(parquet):
    frame, path = parquet
    prepared, info = _sampled(frame, path, budget=8_000)
    # the page's class mix is the file's, not the sample's
    assert prepared.distribution.table["count"].tolist() == frame["isFraud"].value_counts().tolist()
    split = make_split(prepared, test_size=0.25, random_state=0)
    assert set(split.test_rows) <= set(np.flatnonzero(info.uniform))
    assert not set(split.test_rows) & set(split.train_rows)
    assert len(split.test_rows) + len(split.train_rows) == len(info.uniform)
    assert len(split.test_rows) == round(0.25 * info.n_uniform)
    assert "keeps the file's class mix" in split.notes[0]
    # another target: the uniform rows only, and a note that says so
    other = prepare(prepared.dataset, target="kind", overrides={})
    split = make_split(other, test_size=0.25, random_state=0)
    assert len(split.test_rows) + len(split.train_rows) == info.n_uniform and "drawn for the target" in split.notes[0]


def test_too_few_uniform_rows_of_a_class_asks_for_a_larger_budget(tmp_path):
    frame = table(30_000, rare=0.0004, seed=1)  # about 12 rows of class 1
    path = tmp_path / "tiny.parquet"
    frame.to_parquet(path)
    prepared, _ = _sampled(frame, path, budget=1_000)
    with pytest.raises(SplitError, match="Raise the row budget"):
        make_split(prepared, test_size=0.2, random_state=0)


def test_reported_precision_and_pr_auc_estimate_the_whole_files(tmp_path):
    """The scores on the test split estimate the model's scores on the whole file, not on the working sample,
    where class 1 is about ten times as common. (The whole file includes the model's training rows, since those
    hold nearly every row of class 1; a logistic regression on four features gains next to nothing from them.)"""
    frame = table(300_000, rare=0.01, seed=2, shift=2.0)
    path = tmp_path / "whole.parquet"
    frame.to_parquet(path)
    prepared, info = _sampled(frame, path, budget=60_000)
    split = make_split(prepared, test_size=0.3, random_state=0)
    strategy = Strategy(model="logreg")
    reported = metrics(evaluate(strategy, split, plan=prepared.plan))

    X_train = split.model_input(split.train_rows, categorical=prepared.plan.categorical)
    y_train = split.y_train.to_numpy()

    def scores(X: pd.DataFrame, y: np.ndarray) -> tuple[float, float]:
        _, proba, _ = _fit_predict(strategy, X_train, y_train, X.reset_index(drop=True), plan=prepared.plan,
                                   names={0: "0", 1: "1"})  # fmt: skip
        return precision_score(y, proba[:, 1] >= 0.5), average_precision_score(y, proba[:, 1])

    full_precision, full_pr_auc = scores(frame[list(split.columns)], frame["isFraud"].to_numpy())
    # what a test split with the working sample's mix would have reported
    extra = split.frame.iloc[np.flatnonzero(~info.uniform)]
    mixed_precision, mixed_pr_auc = scores(
        pd.concat([split.X_test, extra[list(split.columns)]]),
        np.concatenate([split.y_test.to_numpy(), extra["isFraud"].to_numpy()]),
    )
    assert abs(reported["precision"] - full_precision) < 0.08
    assert abs(reported["pr_auc"] - full_pr_auc) < 0.08
    # so the two checks above would catch a test split with the sample's mix
    assert mixed_precision - full_precision > 0.2 and mixed_pr_auc - full_pr_auc > 0.2


def test_a_partitioned_dataset_is_read_with_its_partition_column_and_without_other_files(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = table(6_000, rare=0.05)
    pq.write_to_dataset(pa.Table.from_pandas(frame), tmp_path / "log", partition_cols=["kind"])
    (tmp_path / "log" / "_SUCCESS").write_text("")  # as Spark leaves it
    scan = scan_table(tmp_path / "log", kind="Parquet (partitioned)")
    assert scan.n_rows == 6_000 and "kind" in scan.columns
    sample, info = draw_sample(scan, entry="log", target="isFraud", budget=2_000)
    assert info is not None and len(sample) <= 2_000
    assert int(sample["isFraud"].sum()) == int(frame["isFraud"].sum()) and set(sample["kind"]) == {"a", "b", "c"}
