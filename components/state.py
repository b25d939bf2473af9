"""Every session-state key in one place, and small typed accessors.

Widget keys are cleared by Streamlit when a page that does not draw the widget runs, so
choices that must survive page changes live under separate "persistent" keys here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.data.dataset import Dataset
from core.data.roles import Treatment

# Persistent values (survive page changes).
DATASET = "ie.dataset"  # Dataset
TARGET = "ie.target"  # str | None, the chosen target column
OVERRIDES = "ie.overrides"  # dict[str, Treatment], user's column treatments
OVERRIDE_PROBLEMS = "ie.override_problems"  # list[str], why the last refused overrides were refused
UPLOAD_ROUND = "ie.upload_round"  # int, bumped after each upload is read: a new, empty uploader
UPLOAD_BYTES = "ie.upload_bytes"  # (name, bytes) of the last workbook, for the sheet picker
LOAD_MESSAGE = "ie.load_message"  # (kind, text) shown under the picker after a load attempt

# Widget keys.
W_SAMPLE = "data.sample"
W_LOAD_SAMPLE = "data.load_sample"
W_UPLOAD = "data.upload"  # prefix: the uploader of round n is f"{W_UPLOAD}.{n}" (see upload_key)
W_SHEET = "data.sheet"
W_FOLDER_FILE = "data.folder_file"
W_FOLDER_OPEN = "data.folder_open"
DATA_DIR_SETTING = "IE_DATA_DIR"  # the environment variable naming the server's data folder
SLOTS_SETTING = "IE_HEAVY_SLOTS"  # how many heavy computations the server runs at once (default: its cores)
DASK_SETTING = "IE_DASK_SCHEDULER"  # the environment variable naming a Dask scheduler for the comparison's fits
LARGE_REQUEST = "ie.large_request"  # LargeRequest: a large folder file to sample, run by the Data page's body
W_ROW_BUDGET = "data.row_budget"  # rows in the working sample of a large file
W_SAMPLE_REDRAW = "data.sample_redraw"
W_LARGE_STOP = "data.large_stop"
W_TARGET = "data.target"
W_ROLES = "data.roles"
W_LOG_SCALE = "balance.log_scale"
W_TEST_SIZE = "split.test_size"
W_SPLIT_SEED = "split.seed"
W_METHOD = "resample.method"
METHOD_PARAM = "method"  # ?method=KEY opens Resample on that method (the glossary links there)
W_RATIO = "resample.ratio"
W_COUNTS_MODE = "resample.counts_mode"
W_CLEAN = "resample.clean"
W_SAMPLER_SEED = "resample.seed"
W_RUN_SLOW = "resample.run_slow"
W_VIEW = "resample.view"
W_FEATURE_X = "resample.feature_x"
W_FEATURE_Y = "resample.feature_y"
W_DOWNLOAD = "resample.download"
W_STEPS_POINT = "steps.point"
W_STEPS_K = "steps.k"
W_STEPS_N = "steps.n_new"
W_STEPS_SEED = "steps.seed"
W_STEPS_RANDOM = "steps.random_point"
W_STEPS_VIEW = "steps.view"
W_N_STRATEGIES = "train.n_strategies"
W_TREES = "train.trees"
W_MAX_DEPTH = "train.max_depth"
W_MIN_LEAF = "train.min_leaf"
W_MAX_FEATURES = "train.max_features"
W_ROWS_PER_TREE = "train.rows_per_tree"
W_CV_FOLDS = "train.cv_folds"
W_TRAIN_SEED = "train.seed"
W_TRAIN = "train.run"
W_STOP = "train.stop"
W_NORMALIZE = "train.normalize"
W_FOCUS = "train.focus"
W_IMPORTANCE_OF = "train.importance_of"
W_THRESHOLD = "train.threshold"
W_COST_FP = "train.cost_fp"
W_COST_FN = "train.cost_fn"
W_TUNE_FOLDS = "train.tune_folds"
W_MIN_PRECISION = "train.min_precision"
W_USE_TUNED = "train.use_tuned"
W_COMPARE_IDS = "compare.strategies"
W_COMPARE_FOLDS = "compare.cv_folds"
W_COMPARE_SEED = "compare.seed"
W_COMPARE_RUN = "compare.run"
W_SETTINGS_UPLOAD = "compare.settings_upload"
W_DOWNLOAD_REPORT = "compare.download_report"
W_DOWNLOAD_BOARD = "compare.download_leaderboard"
W_DOWNLOAD_SETTINGS = "compare.download_settings"
W_PREPARE_FIGURES = "compare.prepare_figures"
W_DOWNLOAD_FIGURES = "compare.download_figures"
FIGURES = "ie.figures"  # (comparison key, ZIP bytes) of the figures drawn for slides
FIGURES_ASKED = "ie.figures_asked"  # the comparison key the figures were asked for
W_DOWNLOAD_SCRIPT = "code.download_script"  # + "." + page
W_DOWNLOAD_DATA = "code.download_data"  # + "." + page
W_MODEL_PICK = "code.model_pick"  # + "." + page
W_PREPARE_MODEL = "code.prepare_model"  # + "." + page
W_DOWNLOAD_MODEL = "code.download_model"  # + "." + page
MODEL_FILE = "ie.model_file"  # (model key, ModelFile) of the model file written last
MODEL_ASKED = "ie.model_asked"  # the model key a file was asked for
COMPARED = "ie.compared"  # the comparison settings last run
TRAIN_STRATEGIES = "ie.train_strategies"  # the strategies last set on Train, offered on Compare
TRAIN_CHOICE = "train:"  # the prefix of their ids in Compare's list
SETTINGS_MESSAGE = "ie.settings_message"  # (kind, text) after importing settings
APPLIED_TOKEN = "ie.applied_token"  # the URL settings token already applied
W_GEN_ROWS = "lesson.rows"
W_GEN_FEATURES = "lesson.features"
W_GEN_RATIO = "lesson.ratio"
W_GEN_CLASSES = "lesson.classes"
W_GEN_SEP = "lesson.separation"
W_GEN_NOISE = "lesson.noise"
W_GEN_SEED = "lesson.seed"
W_GEN_USE = "lesson.use"
W_LEAK_RUN = "lesson.leak_run"
W_SWEEP_RUN = "lesson.sweep_run"
SWEEP_ASKED = "ie.sweep_asked"  # the sweep settings asked for
LEAK_ASKED = "ie.leak_asked"  # the run identity (data, target, features) the leakage demo was asked for
TRAINED = "ie.trained"  # the settings last trained, so a revisit shows their (cached) results
W_STEPS_CLASS = "steps.class"
W_STEPS_ZOOM = "steps.zoom"
W_STEPS_X = "steps.feature_x"
W_STEPS_Y = "steps.feature_y"
W_NUMBER_HOW = "data.number_how"  # make a class from a numeric target: top share, bottom share or a value
W_NUMBER_SHARE = "data.number_share"
W_NUMBER_VALUE = "data.number_value"
W_NUMBER_NAME = "data.number_name"
W_NUMBER_LOG = "data.number_log"
W_NUMBER_MAKE = "data.number_make"
W_NUM_RULE = "numbers.rule"  # the rare range of a numeric target: the box-plot rule or a threshold
W_NUM_SIDE = "numbers.side"
W_NUM_CUT = "numbers.cut"
W_NUM_MODEL = "numbers.model"
W_NUM_STRATEGIES = "numbers.strategies"
W_NUM_TRAIN = "numbers.train"
W_NUM_STOP = "numbers.stop"
W_NUM_LOG = "numbers.log_axes"  # display only: log axes on the predicted-against-actual chart
W_NUM_SAMPLER = "numbers.sampler"
W_NUM_RESAMPLE_LOG = "numbers.resample_log"
NUM_TRAINED = "ie.numbers_trained"  # the settings last trained for a numeric target
W_STEPS_SOURCE = "steps.source"  # the toy dataset or the user's training rows
W_STEPS_STAGE = "steps.stage"  # how far the reveal has gone
W_STEPS_NEXT = "steps.next"
W_STEPS_BACK = "steps.back"
W_STEPS_ALL = "steps.all"
W_PRODUCTION_LESSON = "lesson.production_run"
PRODUCTION_LESSON_ASKED = "ie.production_lesson_asked"  # the Lesson's production step was asked for
W_THRESHOLD_LESSON = "lesson.threshold_run"
THRESHOLD_LESSON_ASKED = (
    "ie.threshold_lesson_asked"  # the Lesson's "rebalance or move the threshold" step was asked for
)
W_NUMBER_LESSON = "lesson.number_run"
NUMBER_LESSON_ASKED = "ie.number_lesson_asked"  # the Lesson's skewed-numbers step was asked for
W_PROD_RATE = "production.rate"  # the small class's rate in production, in percent, as typed
W_PROD_VOLUME = "production.volume"  # cases scored per day, as typed (empty: per 10,000)
PROD_RATE_OK = "ie.production_rate"  # the last valid production rate (a share), kept while an entry is wrong
PROD_VOLUME_OK = "ie.production_volume"  # the last valid volume per day
W_BUDGET = "train.review_budget"  # percent of the test rows the team can review (gains, lift, report)
W_LEAK_DROP = "leak.drop"  # + "." + page: drop the columns that give the answer away
W_LEAK_UNDO = "leak.undo"
LEAK_UNDO = "ie.leak_undo"  # (columns dropped, the treatments before) for the Undo button
W_DIAGNOSE = "balance.diagnose"
W_REGIONS_OPEN = "balance.regions_open"  # the Class balance page's decision-regions expander
W_BOUNDARY_MODEL = "balance.boundary_model"
W_BOUNDARY_VIEW = "balance.boundary_view"
W_BOUNDARY_X = "balance.boundary_x"
W_BOUNDARY_Y = "balance.boundary_y"
W_HARDNESS_RUN = "lesson.hardness_run"
HARDNESS_ASKED = "ie.hardness_asked"  # the lesson's "rare is not hard" demo was asked for
W_LESSON_BACK = "lesson.back"
W_LESSON_NEXT = "lesson.next"
LESSON_STEP = "ie.lesson_step"  # the ten-minute lesson's current step (an index)
LESSON_MOVED = "ie.lesson_moved"  # Back or Next was pressed: the next run scrolls to the new step
LESSON_PARAM = "step"  # ?step=N opens the lesson at step N (the glossary links there)
LESSON_PREFIX = "lesson."  # the Lesson's own copy of a panel's widgets (the decision regions)
DIAGNOSE_ASKED = "ie.diagnose_asked"  # the data and split the diagnosis was asked for
W_BY_KIND = "resample.by_kind"  # colour the small classes' rows by their kind in the scatter
W_PRESENT = "frame.present"  # the sidebar's presentation-mode toggle, kept in step with ?present=1
PRESENT_PARAM = "present"  # the query parameter that opens the app in presentation mode


def upload_key() -> str:
    """Key of the Data page's file uploader in this round."""
    return f"{W_UPLOAD}.{st.session_state.get(UPLOAD_ROUND, 0)}"


def next_upload_round() -> None:
    """Give the next run a new, empty uploader, so the file just read is let go (Streamlit keeps an
    uploaded file in memory for as long as an uploader holds it)."""
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1


def param_key(method: str, name: str) -> str:
    """Widget key of one sampler parameter (per method, so methods do not share values)."""
    return f"resample.param.{method}.{name}"


def count_key(method: str, index: int) -> str:
    """Widget key of the target size of the class at ``index`` (multi-class), per method."""
    return f"resample.count.{method}.{index}"


def slot_key(slot: int, name: str) -> str:
    """Widget key of one setting of strategy slot ``slot`` (sampler, model, weighting, weight.<i>, threshold,
    calibration)."""
    return f"train.s{slot}.{name}"


_KEEP = "ie.keep."


def bind(widget_key: str, default: Any) -> dict[str, Any]:
    """Keyword arguments for a widget whose value must survive page changes.

    Streamlit forgets a widget's value when a page without it runs, and a widget with the same key
    drawn elsewhere (the split settings sit in an expander on some pages and not on others) starts
    from its own default. So every value is remembered under a persistent key and handed to the
    widget each time it is drawn.
    """
    store = _KEEP + widget_key
    if store not in st.session_state:
        st.session_state[store] = st.session_state.get(widget_key, default)
    st.session_state[widget_key] = st.session_state[store]

    def _save() -> None:
        st.session_state[store] = st.session_state[widget_key]

    return {"key": widget_key, "on_change": _save}


def numbers_key(chart_key: str) -> str:
    """The key of the "Chart as numbers" expander under the chart drawn with ``chart_key``."""
    return f"numbers.{chart_key}"


def kept(widget_key: str, default: Any) -> Any:
    """The remembered value of a :func:`bind` widget, also on pages that do not draw it."""
    return st.session_state.get(_KEEP + widget_key, st.session_state.get(widget_key, default))


def bind_choice(widget_key: str, options, default: Any) -> dict[str, Any]:
    """:func:`bind` for a widget with a fixed set of ``options``: a remembered value that is no longer
    one of them (other data, another method) is forgotten first, so the widget starts from ``default``."""
    remembered = st.session_state.get(_KEEP + widget_key, st.session_state.get(widget_key))
    if remembered not in options:
        forget(widget_key)
    return bind(widget_key, default)


def forget_prefix(prefix: str) -> None:
    """Forget every widget whose key starts with ``prefix``."""
    for key in list(st.session_state.keys()):
        if str(key).startswith((prefix, _KEEP + prefix)):
            st.session_state.pop(key, None)


def forget(widget_key: str) -> None:
    """Drop a widget's current and remembered value, so it starts from its default."""
    st.session_state.pop(widget_key, None)
    st.session_state.pop(_KEEP + widget_key, None)


def dataset() -> Dataset | None:
    """The dataset being explored, if any."""
    return st.session_state.get(DATASET)


def set_dataset(ds: Dataset) -> None:
    """Make ``ds`` the current dataset; the target resets to its guess and overrides clear."""
    st.session_state[DATASET] = ds
    st.session_state[TARGET] = None
    st.session_state[OVERRIDES] = {}
    st.session_state[OVERRIDE_PROBLEMS] = []
    st.session_state.pop(LEAK_UNDO, None)
    for key in (W_TARGET, W_ROLES):
        st.session_state.pop(key, None)
    for key in (W_FEATURE_X, W_FEATURE_Y, W_STEPS_POINT, W_STEPS_VIEW, W_STEPS_CLASS, W_STEPS_X, W_STEPS_Y):
        forget(key)
    forget_prefix("resample.count.")
    forget_prefix("train.s")
    st.session_state.pop(TRAINED, None)
    st.session_state.pop(COMPARED, None)
    forget(W_COMPARE_IDS)
    forget_production_rate()


def forget_production_rate() -> None:
    """Back to the data's own rate of the small class in production (new data, or another target)."""
    forget(W_PROD_RATE)
    st.session_state.pop(PROD_RATE_OK, None)


def target() -> str | None:
    """The chosen target column."""
    return st.session_state.get(TARGET)


def set_target(column: str) -> None:
    """Choose the target column; column overrides are kept for the other columns. Another target has another rate of
    its small class, so the production rate goes back to the data's own."""
    if st.session_state.get(TARGET) != column:
        forget_production_rate()
    st.session_state[TARGET] = column


def overrides() -> dict[str, Treatment]:
    """The user's column treatments that differ from the detected defaults."""
    return dict(st.session_state.get(OVERRIDES, {}))


def set_overrides(value: dict[str, Treatment]) -> None:
    """Store the user's column treatments."""
    st.session_state[OVERRIDES] = dict(value)


def costs() -> tuple[float, float]:
    """The costs of a false alarm and of a missed case, as set in the strategy settings (shared by every page, also
    by a page that does not draw their fields: the remembered values, not the widgets')."""
    return float(kept(W_COST_FP, 1.0)), float(kept(W_COST_FN, 10.0))


def remember_train_strategies(strategies) -> None:
    """Keep the strategies set on Train, so Compare can offer them."""
    st.session_state[TRAIN_STRATEGIES] = tuple(strategies)


def train_strategies() -> tuple:
    """The strategies last set on Train (none before Train was opened)."""
    return tuple(st.session_state.get(TRAIN_STRATEGIES, ()))


def mark_trained(settings: object) -> None:
    """Remember that the user asked to train with these settings (button callback)."""
    st.session_state[TRAINED] = settings


def mark_numbers_trained(settings: object) -> None:
    """Remember that the user asked to train a numeric target's strategies with these settings (button callback)."""
    st.session_state[NUM_TRAINED] = settings


def put(widget_key: str, value: Any) -> None:
    """Set a bound widget's value (and its remembered value); call from a callback or before the widget is drawn."""
    st.session_state[widget_key] = value
    st.session_state[_KEEP + widget_key] = value


def mark_compared(settings: object) -> None:
    """Remember that the user asked to run the comparison with these settings (button callback)."""
    st.session_state[COMPARED] = settings


def put_value(key: str, value: Any) -> None:
    """Store a value under a persistent key (for button callbacks)."""
    st.session_state[key] = value
