"""Too good to be true: a column that gives the answer away is named on Data and Train, one click drops it and one
undoes it; a near-perfect result after training says so and names what the model leaned on."""

from __future__ import annotations

import numpy as np
import pandas as pd

from components import state
from tests.app.conftest import texts, upload


def _mortgages() -> bytes:
    """A generated application table: 'approve' (12 % denied), 'reject' exactly 1 - approve, honest features."""
    rng = np.random.default_rng(4)
    n = 1_500
    approve = (rng.random(n) > 0.12).astype(int)
    frame = pd.DataFrame({"income": rng.normal(50, 15, n) + 8 * approve, "debt_ratio": rng.uniform(0, 1, n),
                          "region": rng.choice(["north", "south", "east"], n), "reject": 1 - approve,
                          "approve": approve})  # fmt: skip
    return frame.to_csv(index=False).encode()


def test_a_complement_column_is_named_on_data_and_train_dropped_in_one_click_and_undone_in_another(app):
    upload(app, "mortgages.csv", _mortgages())
    assert not app.exception
    warning = next(w for w in texts(app, "warning") if w.startswith("Too good to be true?"))
    assert "'reject' alone decides 'approve': ROC-AUC 1.000" in warning and "'income'" not in warning
    app.button(key=f"{state.W_LEAK_DROP}.data").click().run()
    roles = app.session_state[state.OVERRIDES]
    assert roles == {"reject": "drop"}
    assert not any(w.startswith("Too good to be true?") for w in texts(app, "warning"))
    assert any("Left out of the features: 'reject'" in i for i in texts(app, "info"))
    app.button(key=state.W_LEAK_UNDO).click().run()
    assert app.session_state[state.OVERRIDES] == {}
    app.switch_page("pages/train.py").run()
    assert any("'reject' alone decides 'approve'" in w for w in texts(app, "warning"))
    app.button(key=f"{state.W_LEAK_DROP}.train").click().run()
    assert app.session_state[state.OVERRIDES] == {"reject": "drop"} and not app.exception


def test_a_near_perfect_result_says_so_and_names_the_column_the_model_leaned_on(app):
    upload(app, "mortgages.csv", _mortgages())
    app.switch_page("pages/train.py").run()
    app.button(key="train.run").click().run()
    assert not app.exception
    said = [w for w in texts(app, "warning") if w.startswith("Too good to be true? RF catches")]
    assert said and "with 0 false alarms" in said[0] and "MCC 1.000" in said[0]
    assert "leaned most on 'reject'" in said[0]
    app.button(key=f"{state.W_LEAK_DROP}.train.after").click().run()
    assert app.session_state[state.OVERRIDES] == {"reject": "drop"}
