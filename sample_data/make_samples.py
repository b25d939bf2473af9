"""Regenerate the synthetic sample datasets in this folder (deterministic).

Run from the repository root:  python sample_data/make_samples.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

HERE = Path(__file__).resolve().parent


def credit_card_fraud(rng: np.random.Generator) -> pd.DataFrame:
    """20,000 card transactions, about 1 % fraud, shaped like the Kaggle/ULB dataset."""
    X, y = make_classification(
        n_samples=20_000,
        n_features=10,
        n_informative=6,
        n_redundant=2,
        n_clusters_per_class=2,
        weights=[0.99],
        flip_y=0.002,
        class_sep=0.9,
        random_state=7,
    )
    frame = pd.DataFrame(X.astype("float32"), columns=[f"V{i}" for i in range(1, 11)])
    frame.insert(0, "Time", np.sort(rng.uniform(0, 172_800, len(frame))).round(0).astype("float32"))
    amount = rng.lognormal(3.5, 1.2, len(frame)) * np.where(y == 1, 1.6, 1.0)
    frame["Amount"] = amount.round(2).astype("float32")
    frame["Class"] = np.where(y == 1, "fraud", "legit")
    return frame


def resume_screening() -> pd.DataFrame:
    """Ten applicants, five hired: the seed example (balanced, 5/5)."""
    return pd.DataFrame(
        {
            "years_experience": [1, 7, 3, 10, 0, 5, 2, 8, 4, 6],
            "education": ["BSc", "MSc", "BSc", "PhD", "none", "MSc", "BSc", "MSc", "none", "BSc"],
            "skills_score": [55, 88, 62, 91, 40, 79, 58, 84, 66, 73],
            "interview_score": [6.1, 8.7, 5.9, 9.2, 4.8, 7.9, 6.5, 8.1, 5.2, 7.4],
            "hired": ["no", "yes", "no", "yes", "no", "yes", "no", "yes", "no", "yes"],
        }
    )


def product_defects(rng: np.random.Generator) -> pd.DataFrame:
    """2,500 inspected parts in four classes: ok 80 %, scratch 12 %, dent 6 %, crack 2 %."""
    X, y = make_classification(
        n_samples=2_500,
        n_features=8,
        n_informative=5,
        n_redundant=1,
        n_classes=4,
        n_clusters_per_class=1,
        weights=[0.80, 0.12, 0.06, 0.02],
        class_sep=1.2,
        random_state=11,
    )
    names = ["temperature", "pressure", "vibration", "thickness", "gloss", "hardness", "width", "weight"]
    frame = pd.DataFrame(X.round(3), columns=names)
    frame["defect"] = np.array(["ok", "scratch", "dent", "crack"])[y]
    return frame


def customer_churn(rng: np.random.Generator) -> pd.DataFrame:
    """5,000 telecom customers, about 15 % churned, numeric and categorical columns."""
    n = 5_000
    contract = rng.choice(["month-to-month", "one year", "two year"], n, p=[0.55, 0.25, 0.20])
    internet = rng.choice(["DSL", "fiber", "none"], n, p=[0.35, 0.45, 0.20])
    payment = rng.choice(["card", "bank transfer", "electronic check", "mailed check"], n, p=[0.3, 0.25, 0.3, 0.15])
    senior = rng.choice(["yes", "no"], n, p=[0.16, 0.84])
    tenure = rng.integers(0, 72, n)
    charges = (20 + np.where(internet == "fiber", 55, np.where(internet == "DSL", 30, 0)) + rng.normal(0, 8, n)).round(
        2
    )
    tickets = rng.poisson(1.0, n)
    logit = (
        -3.3
        + 1.5 * (contract == "month-to-month")
        - 0.9 * (contract == "two year")
        + 0.6 * (internet == "fiber")
        + 0.7 * (payment == "electronic check")
        + 0.35 * (senior == "yes")
        - 0.035 * tenure
        + 0.35 * tickets
    )
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    signup = pd.Timestamp("2026-06-01") - pd.to_timedelta(tenure * 30 + rng.integers(0, 30, n), unit="D")
    charges_missing = rng.random(n) < 0.02
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{100000 + i}" for i in range(n)],
            "signup_date": signup.strftime("%Y-%m-%d"),
            "tenure_months": tenure,
            "monthly_charges": np.where(charges_missing, np.nan, charges),
            "contract": contract,
            "internet_service": internet,
            "payment_method": payment,
            "senior_citizen": senior,
            "support_tickets": tickets,
            "churned": np.where(churned, "yes", "no"),
        }
    )
    return frame


def insurance_claims(rng: np.random.Generator, n: int = 20_000) -> pd.DataFrame:
    """Claim amounts with a heavy tail: most claims are a few hundred, a few rare ones are very large, and
    the features say something about which (prior claims, the vehicle's value, the region). The benchmarks
    draw larger tables from the same generator."""
    age = rng.integers(18, 86, n)
    vehicle_value = np.round(np.exp(rng.normal(np.log(18_000), 0.5, n)), -2)
    region = rng.choice(["north", "south", "east", "west"], n, p=[0.3, 0.3, 0.25, 0.15])
    prior_claims = rng.poisson(0.6, n)
    policy_years = rng.integers(0, 30, n)
    base = 5.8 + 0.25 * prior_claims + 0.35 * np.log(vehicle_value / 18_000) - 0.004 * (age - 45)
    amount = np.exp(base + rng.normal(0, 0.55, n))
    large = rng.random(n) < 1 / (1 + np.exp(-(-4.2 + 0.7 * prior_claims + 0.9 * (region == "west"))))
    amount[large] *= 8 + rng.pareto(2.2, large.sum()) * 10
    return pd.DataFrame({
        "age": age, "vehicle_value": vehicle_value, "region": region, "prior_claims": prior_claims,
        "policy_years": policy_years, "claim_amount": np.round(amount, 2),
    })  # fmt: skip


def main() -> None:
    rng = np.random.default_rng(2026)
    credit_card_fraud(rng).to_parquet(HERE / "credit_card_fraud.parquet", index=False, compression="zstd")
    resume_screening().to_csv(HERE / "resume_screening.csv", index=False)
    product_defects(rng).to_csv(HERE / "product_defects.csv", index=False)
    customer_churn(rng).to_csv(HERE / "customer_churn.csv", index=False)
    insurance_claims(np.random.default_rng(2033)).to_csv(HERE / "insurance_claims.csv", index=False)
    for path in sorted(HERE.glob("*.*")):
        if path.suffix in {".csv", ".parquet"}:
            frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
            target = frame.columns[-1]
            counts = (
                frame[target].describe().round(1).to_dict()
                if frame[target].nunique() > 20
                else (frame[target].value_counts().to_dict())
            )
            print(path.name, frame.shape, path.stat().st_size, counts)


if __name__ == "__main__":
    main()
