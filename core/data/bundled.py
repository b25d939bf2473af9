"""The bundled sample datasets: one catalogue read by the picker and the README."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.data.dataset import Dataset, Source

__all__ = ["SAMPLES", "SAMPLE_DIR", "Sample", "load_sample"]

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"


@dataclass(frozen=True)
class Sample:
    """A bundled dataset: where it lives, its target and one line about it."""

    key: str
    title: str
    target: str
    blurb: str
    file: str | None = None
    numeric_target: bool = False  # the target is a skewed number: the Data page offers to make a class of it


SAMPLES: tuple[Sample, ...] = (
    Sample(
        key="credit_card_fraud",
        title="Credit-card fraud (synthetic, 20,000 rows, ~1% fraud)",
        target="Class",
        blurb="Card transactions shaped like the well-known ULB fraud data: numeric features, severe imbalance.",
        file="credit_card_fraud.parquet",
    ),
    Sample(
        key="customer_churn",
        title="Customer churn (synthetic, 5,000 rows, mixed types)",
        target="churned",
        blurb="Telecom customers with numeric and categorical columns, an ID, a date and some missing values.",
        file="customer_churn.csv",
    ),
    Sample(
        key="product_defects",
        title="Product defects (synthetic, 4 classes)",
        target="defect",
        blurb="Inspected parts: ok, scratch, dent and a rare crack; multi-class imbalance.",
        file="product_defects.csv",
    ),
    Sample(
        key="breast_cancer",
        title="Breast cancer Wisconsin (real, scikit-learn)",
        target="diagnosis",
        blurb="569 tumours described by 30 measurements; 212 malignant, 357 benign. Ships with scikit-learn.",
    ),
    Sample(
        key="insurance_claims",
        title="Insurance claims (synthetic, a skewed amount)",
        target="claim_amount",
        blurb="20,000 claims whose amount has a heavy tail: skewed numbers are imbalance too. Explore the amount as "
        "a number, or make a rare class of the largest claims.",
        file="insurance_claims.csv",
        numeric_target=True,
    ),
    Sample(
        key="resume_screening",
        title="Résumé screening (10 rows, the seed example)",
        target="hired",
        blurb="Ten applicants, five hired: a balanced toy example, too small for resampling to matter.",
        file="resume_screening.csv",
    ),
)
_BY_KEY = {s.key: s for s in SAMPLES}


def _breast_cancer() -> pd.DataFrame:
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    frame["diagnosis"] = pd.Series(bunch.target).map(dict(enumerate(bunch.target_names))).astype(str)
    return frame


def load_sample(key: str) -> Dataset:
    """Load a bundled sample by key as a :class:`~core.data.dataset.Dataset`.

    Raises ``KeyError`` for an unknown key.
    """
    sample = _BY_KEY[key]
    if sample.file is None:
        frame, details = _breast_cancer(), "bundled with scikit-learn"
        source = Source("", "load_breast_cancer")
    else:
        path = SAMPLE_DIR / sample.file
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        details = f"bundled file {sample.file}"
        source = Source(sample.file, "read_parquet" if path.suffix == ".parquet" else "read_csv")
    return Dataset.from_frame(
        frame,
        name=sample.title,
        origin="sample",
        details=details,
        default_target=sample.target,
        sample_key=sample.key,
        source=source,
    )
