"""Every sampler in the catalogue: the counts it promises, provenance, adjustments and refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from core.data.dataset import Dataset
from core.data.prepared import prepare
from core.data.split import make_split
from core.output.safe_download import safe_csv_bytes
from core.resampling.catalogue import CATALOGUE, ResampleError, SamplerConfig, get_spec
from core.resampling.resample import resample


def frame_from(X, y, names=None) -> pd.DataFrame:
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["y"] = np.asarray(names, dtype=object)[y] if names is not None else y
    return frame


def split_of(frame: pd.DataFrame, *, test_size: float = 0.25, overrides=None):
    prepared = prepare(Dataset.from_frame(frame, name="t", origin="upload"), target="y", overrides=overrides or {})
    return prepared, make_split(prepared, test_size=test_size, random_state=0)


X2, y2 = make_classification(
    n_samples=320, n_features=4, n_informative=3, n_redundant=0, weights=[0.85], random_state=3
)
BINARY = frame_from(X2, y2, ["common", "rare"])
X3, y3 = make_classification(
    n_samples=420, n_features=4, n_informative=3, n_redundant=0, n_classes=3, n_clusters_per_class=1,
    weights=[0.7, 0.2, 0.1], random_state=4,
)  # fmt: skip
MULTI = frame_from(X3, y3, ["a", "b", "c"])
NUMERIC_KEYS = [s.key for s in CATALOGUE if "numeric" in s.data_kinds or s.key == "smote" or s.factory is None]
APPROXIMATE = {"adasyn", "kmeans_smote"}


def check_promise(key: str, before: dict[str, int], after: dict[str, int], notes=()) -> None:
    spec = get_spec(key)
    largest, smallest = max(before.values()), min(before.values())
    small_class = min(before, key=before.get)
    if spec.factory is None:
        assert after == before
    elif spec.kind == "over":
        for c in before:
            if any(f"could not reach the {largest:,} rows asked for class '{c}'" in n for n in notes):
                assert after[c] < largest  # a visible shortfall, said in a note
            elif key in APPROXIMATE:
                assert after[c] == pytest.approx(largest, rel=0.05), (c, after)
            else:
                assert after[c] == largest, (c, after)
    elif spec.kind == "under" and spec.sets_size and key != "instance_hardness":
        assert set(after.values()) == {smallest}, after
    elif spec.kind == "under":  # cleaning methods and IHT: never touch the smallest class, never grow a class
        assert after[small_class] == before[small_class]
        assert all(after[c] <= before[c] for c in before)
        assert sum(after.values()) < sum(before.values()), f"{key} removed nothing on overlapping data"
    else:  # combined: SMOTE up to the largest, then cleaning
        assert after[small_class] > before[small_class]
        assert all(after[c] <= largest for c in before)


def check_provenance(result) -> None:
    origin, prov = result.origin, result.provenance
    assert len(origin) == len(result.resampled_frame()) == len(result.y_resampled) == len(prov)
    real = origin >= 0
    assert set(prov[real]) <= {"original", "duplicate"} and set(prov[~real]) <= {"synthetic"}
    num = result.X_train.select_dtypes("number").columns
    assert np.allclose(
        result.resampled_frame().loc[real, num].to_numpy(float), result.X_train.iloc[origin[real]][num].to_numpy(float)
    )
    assert (result.y_resampled.to_numpy()[real] == result.y_train.to_numpy()[origin[real]]).all()
    kept = set(origin[real].tolist())
    assert set(result.removed.tolist()) == set(range(len(result.X_train))) - kept
    assert int((prov == "duplicate").sum()) == int(real.sum()) - len(kept)
    assert result.is_synthetic.sum() == int((~real).sum())


@pytest.mark.parametrize("key", NUMERIC_KEYS)
@pytest.mark.parametrize("data", ["binary", "multiclass"])
def test_every_sampler_keeps_its_promise_and_marks_its_rows(key, data):
    prepared, split = split_of(BINARY if data == "binary" else MULTI)
    result = resample(split, plan=prepared.plan, config=SamplerConfig(key, random_state=0, run_slow=True))
    check_promise(key, result.counts("before"), result.counts("after"), result.notes)
    check_provenance(result)
    assert len(split.y_test) == len(split.y_test)  # the test split is never touched
    if get_spec(key).kind == "over" and get_spec(key).generates:
        assert result.is_synthetic.sum() > 0
    if key in {"random_over"}:
        assert (result.provenance == "duplicate").sum() > 0 and result.is_synthetic.sum() == 0


def test_resampling_never_touches_the_test_split():
    prepared, split = split_of(BINARY)
    before = split.X_test.copy(), split.y_test.copy()
    resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    assert split.X_test.equals(before[0]) and split.y_test.equals(before[1])
    assert split.counts("test") == {"common": 68, "rare": 12}  # the real mix, stratified


def test_smote_rows_lie_between_two_training_rows_of_their_class():
    prepared, split = split_of(BINARY)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote", random_state=1))
    rare = split.X_train[split.y_train == "rare"].to_numpy(float)
    synthetic = result.resampled_frame()[result.is_synthetic].to_numpy(float)
    assert (result.y_resampled[result.is_synthetic] == "rare").all()
    for s in synthetic[:40]:
        found = False
        for a in rare:
            d = s - a
            for b in rare:
                seg = b - a
                t = float(d @ seg) / float(seg @ seg) if seg @ seg > 0 else 0.0
                if -1e-9 <= t <= 1 + 1e-9 and np.allclose(a + t * seg, s, atol=1e-6):
                    found = True
                    break
            if found:
                break
        assert found, "a synthetic row is not on a segment between two rows of its class"


@pytest.mark.parametrize(
    ("key", "ratio"), [("smote", 0.5), ("random_over", 0.3), ("random_under", 0.5), ("nearmiss", 0.25)]
)
def test_binary_ratio_is_reached(key, ratio):
    prepared, split = split_of(BINARY)
    after = resample(split, plan=prepared.plan, config=SamplerConfig(key, ratio=ratio)).counts("after")
    assert after["rare"] / after["common"] == pytest.approx(ratio, abs=0.01)


def test_a_ratio_below_the_current_one_is_refused_with_the_minimum():
    prepared, split = split_of(BINARY)
    with pytest.raises(ResampleError, match=r"cannot shrink that ratio to 0\.05.*at least 0\.1[0-9]"):
        resample(split, plan=prepared.plan, config=SamplerConfig("smote", ratio=0.05))


def test_multiclass_custom_counts_and_their_direction():
    prepared, split = split_of(MULTI)
    before = split.counts("train")
    counts = (("a", before["a"]), ("b", 250), ("c", 120))
    after = resample(split, plan=prepared.plan, config=SamplerConfig("smote", counts=counts)).counts("after")
    assert after == {"a": before["a"], "b": 250, "c": 120}
    with pytest.raises(ResampleError, match="only removes rows, so class 'c'"):
        resample(split, plan=prepared.plan, config=SamplerConfig("random_under", counts=(("c", 500),)))
    with pytest.raises(ResampleError, match="only adds rows, so class 'a'"):
        resample(split, plan=prepared.plan, config=SamplerConfig("smote", counts=(("a", 10),)))


def test_k_neighbours_larger_than_the_class_is_lowered_visibly():
    frame = BINARY[BINARY["y"] == "common"].head(40)
    frame = pd.concat([frame, BINARY[BINARY["y"] == "rare"].head(5)])
    prepared, split = split_of(frame, test_size=0.2)
    assert split.counts("train")["rare"] == 4
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote", params=(("k_neighbors", 5),)))
    assert any("k_neighbors lowered from 5 to 3" in n and "'rare' has only 4" in n for n in result.notes)
    assert result.counts("after")["rare"] == result.counts("after")["common"]


def test_a_class_with_one_training_row_cannot_be_smoted():
    frame = pd.concat([BINARY[BINARY["y"] == "common"].head(30), BINARY[BINARY["y"] == "rare"].head(2)])
    prepared, split = split_of(frame, test_size=0.3)
    assert split.counts("train")["rare"] == 1
    with pytest.raises(ResampleError, match=r"only 1 training row.*Use RandomOverSampler"):
        resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    ros = resample(split, plan=prepared.plan, config=SamplerConfig("random_over"))
    assert ros.counts("after")["rare"] == ros.counts("after")["common"]


def test_a_class_with_one_row_in_all_is_explained_at_the_split():
    frame = pd.concat([BINARY.head(30), BINARY[BINARY["y"] == "rare"].head(1)]).assign(y=["x"] * 30 + ["lonely"])
    prepared = prepare(Dataset.from_frame(frame, name="t", origin="upload"), target="y", overrides={})
    from core.data.split import SplitError

    with pytest.raises(SplitError, match="'lonely' has only one row"):
        make_split(prepared, test_size=0.25, random_state=0)


def test_a_method_that_falls_short_says_which_class_and_why():
    prepared, split = split_of(MULTI)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("borderline_smote", random_state=0))
    after, before = result.counts("after"), result.counts("before")
    short = [c for c in before if after[c] < before["a"]]
    assert short, "this data has a class with no rows near the border"
    for c in short:
        assert any(f"asked for class '{c}'" in n and "near the class border" in n for n in result.notes)


def test_a_cleaner_that_finds_nothing_says_so():
    X = np.vstack([np.random.default_rng(0).normal(0, 0.1, (40, 2)), np.random.default_rng(1).normal(10, 0.1, (8, 2))])
    frame = frame_from(X, np.array([0] * 40 + [1] * 8), ["big", "small"])
    prepared, split = split_of(frame)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("tomek"))
    assert result.counts("after") == result.counts("before")
    assert any("TomekLinks removed no rows" in n for n in result.notes)


def test_slow_methods_ask_before_running_on_large_data():
    big = frame_from(
        *make_classification(
            n_samples=5000, n_features=3, n_informative=2, n_redundant=0, weights=[0.9], random_state=0
        )
    )
    prepared, split = split_of(big)
    with pytest.raises(ResampleError, match=r"CondensedNearestNeighbour .* minute.*run it anyway"):
        resample(split, plan=prepared.plan, config=SamplerConfig("cnn"))


MIXED = pd.DataFrame(
    {
        "amount": np.random.default_rng(0).normal(50, 10, 200),
        "plan": np.random.default_rng(1).choice(["basic", "pro", "team"], 200),
        "region": np.random.default_rng(2).choice(["north", "south"], 200),
        "y": ["no"] * 170 + ["yes"] * 30,
    }
)


def test_smote_on_mixed_data_runs_as_smotenc_and_says_so():
    prepared, split = split_of(MIXED)
    assert prepared.plan.kind == "mixed"
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    assert result.method == "SMOTENC"
    assert any("SMOTE runs as SMOTENC" in n for n in result.notes)
    synthetic = result.resampled_frame()[result.is_synthetic]
    assert len(synthetic) > 0
    assert set(synthetic["plan"]) <= {"basic", "pro", "team"}
    assert set(synthetic["region"]) <= {"north", "south"}
    assert synthetic["amount"].between(MIXED["amount"].min(), MIXED["amount"].max()).all()


def test_smote_on_categorical_data_runs_as_smoten():
    prepared, split = split_of(MIXED.drop(columns="amount"))
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    assert result.method == "SMOTEN" and any("runs as SMOTEN" in n for n in result.notes)
    assert set(result.resampled_frame()["plan"]) <= {"basic", "pro", "team"}


@pytest.mark.parametrize("key", ["borderline_smote", "svm_smote", "kmeans_smote", "adasyn", "smote_tomek", "smote_enn"])
def test_numeric_only_methods_refuse_categories_without_switching(key):
    prepared, split = split_of(MIXED)
    with pytest.raises(ResampleError, match="numeric features only"):
        resample(split, plan=prepared.plan, config=SamplerConfig(key))


@pytest.mark.parametrize("key", ["random_under", "tomek", "enn", "nearmiss", "cluster_centroids", "random_over"])
def test_selection_methods_work_on_mixed_data_with_real_rows_only(key):
    prepared, split = split_of(MIXED)
    result = resample(split, plan=prepared.plan, config=SamplerConfig(key))
    assert result.is_synthetic.sum() == 0
    check_provenance(result)


def test_export_marks_synthetic_rows_and_neutralises_formulas():
    frame = MIXED.assign(plan=np.where(np.arange(200) % 2, "=HYPERLINK(1)", "-pro"))
    prepared, split = split_of(frame)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    out = result.export_frame(target="y")
    assert out["is_synthetic"].sum() == result.is_synthetic.sum() > 0
    assert set(out["origin"]) == {"original", "synthetic"}
    assert out.loc[out["is_synthetic"], "source_row"].isna().all()
    text = safe_csv_bytes(out).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'-pro" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    first = pd.read_csv(pd.io.common.StringIO(text)).iloc[0]
    assert isinstance(first["amount"], float)  # numbers stay numbers (negative ones too)


def test_a_class_too_small_to_reach_the_test_split_is_said():
    frame = pd.concat([BINARY[BINARY["y"] == "common"].head(60), BINARY[BINARY["y"] == "rare"].head(2)])
    _, split = split_of(frame, test_size=0.2)
    assert "rare" not in split.counts("test")
    assert any("'rare' has only 2 rows, and none of them is in the test split" in n for n in split.notes)


@pytest.mark.parametrize("data", ["binary", "mixed"])
def test_only_the_synthetic_rows_are_kept_and_every_view_of_them_agrees(data):
    frame = BINARY if data == "binary" else MIXED
    prepared, split = split_of(frame)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    synthetic = result.is_synthetic
    assert len(result.synthetic) == synthetic.sum() > 0 and result.synthetic.values.dtype == np.float64
    full = result.resampled_frame()
    assert list(full.columns) == list(split.X_train.columns) and len(full) == len(result.y_resampled)
    rows = np.flatnonzero(synthetic)[::3]
    pd.testing.assert_frame_equal(result.synthetic_frame(rows), full.iloc[rows].reset_index(drop=True))
    some = list(split.X_train.columns[-2:])
    pd.testing.assert_frame_equal(result.resampled_frame(columns=some), full[some])
    real = np.flatnonzero(~synthetic)
    with pytest.raises(ValueError, match="synthetic"):
        result.synthetic_frame(real[:2])
    exported = result.export_frame(target="y")
    assert exported["is_synthetic"].sum() == synthetic.sum()
    pd.testing.assert_frame_equal(exported[list(full.columns)], full)


def test_no_resampling_keeps_no_synthetic_rows_and_exports_the_training_split():
    prepared, split = split_of(MIXED)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("none"))
    assert len(result.synthetic) == 0 and not result.is_synthetic.any()
    pd.testing.assert_frame_equal(result.resampled_frame(), split.X_train)
    assert result.synthetic_frame(np.array([], dtype=int)).columns.tolist() == list(split.X_train.columns)


def test_the_split_keeps_row_positions_and_takes_features_from_the_data():
    frame = MIXED.copy()
    frame.loc[3, "y"] = None  # a row with no label is in neither side
    prepared, split = split_of(frame)
    assert split.frame is prepared.dataset.frame  # no copy of the features is kept
    rows = np.concatenate([split.train_rows, split.test_rows])
    assert len(set(rows.tolist())) == len(rows) == len(frame) - 1 and 3 not in set(rows.tolist())
    X_train, X_test = split.X_train, split.X_test
    assert list(X_train.columns) == list(prepared.plan.features) and X_train.index.equals(pd.RangeIndex(len(X_train)))
    pd.testing.assert_frame_equal(
        X_test, frame.iloc[split.test_rows][list(prepared.plan.features)].reset_index(drop=True), check_dtype=False
    )
    assert (frame["y"].to_numpy()[split.train_rows] == split.y_train.to_numpy()).all()
    X_train.iloc[0, 0] = -1e9  # changing what was handed out never changes the data
    assert split.X_train.iloc[0, 0] != -1e9 and prepared.dataset.frame.iloc[:, 0].min() > -1e9


@pytest.mark.parametrize("data_kind", ["numeric", "mixed", "categorical"])
def test_a_sampler_is_offered_for_a_kind_of_data_exactly_when_it_can_run_on_it(data_kind):
    from core.resampling.catalogue import CATALOGUE, ResampleError, resolve_spec

    for spec in CATALOGUE:
        try:
            runs, _ = resolve_spec(spec, data_kind=data_kind)
        except ResampleError:
            assert not spec.applies_to(data_kind), spec.key
            continue
        assert spec.applies_to(data_kind), spec.key
        if data_kind != "numeric" and runs.generates and runs.factory is not None:
            assert runs.ordinal or runs.key != "smote"  # plain SMOTE never runs on categories


def test_the_notes_after_resampling_say_the_ratio_and_when_a_class_is_mostly_made_up():
    X, y = make_classification(n_samples=1_500, n_features=4, n_informative=3, n_redundant=0, weights=[0.98],
                               flip_y=0, random_state=5)  # fmt: skip
    prepared, split = split_of(frame_from(X, y, ["common", "rare"]))
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    before, after = result.counts("before"), result.counts("after")
    real, total = before["rare"], after["rare"]
    notes = result.after_notes()
    assert notes[0].startswith("Imbalance ratio of the training rows after SMOTE: 1.0 : 1 (before: ")
    assert f"{before['common'] / real:,.1f} : 1" in notes[0]
    assert total - real > 10 * real  # more than ten synthetic rows per real one: said, with the counts
    assert len(notes) == 2 and f"{total - real:,} of the {total:,} training rows of 'rare' are synthetic" in notes[1]
    assert f"made from {real:,} real ones" in notes[1]
    # a cleaning method makes nothing up: the ratio after, and no warning
    cleaned = resample(split, plan=prepared.plan, config=SamplerConfig("tomek"))
    assert len(cleaned.after_notes()) == 1 and "after Tomek" in cleaned.after_notes()[0]


def test_every_parameter_of_every_method_says_what_it_does():
    missing = [(spec.key, p.name) for spec in CATALOGUE for p in spec.params if len(p.help.split()) < 4]
    assert not missing, missing
