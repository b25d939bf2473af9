"""IE_DASK_SCHEDULER: the comparison's fits go to that Dask cluster; an unreachable one is said, and the fits run here."""

from __future__ import annotations

from distributed import Client, LocalCluster, get_task_stream
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, scores, texts

FAST = ["none:logreg:none", "none:logreg:balanced", "smote:logreg:none"]


def _compare(monkeypatch, address: str | None) -> AppTest:
    """The Compare page's scores for three quick strategies, fitted anew (the shared store of results emptied)."""
    from components.shared_work import store

    store("evaluations").clear()
    if address is None:
        monkeypatch.delenv("IE_DASK_SCHEDULER", raising=False)
    else:
        monkeypatch.setenv("IE_DASK_SCHEDULER", address)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240).run()
    at.switch_page("pages/compare.py").run()
    at.multiselect(key="compare.strategies").set_value(FAST).run()
    assert at.multiselect(key="compare.strategies").value == FAST
    at.button(key="compare.run").click().run()
    assert not at.exception
    return at


def test_the_comparison_runs_on_the_configured_cluster(monkeypatch):
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        at = _compare(monkeypatch, cluster.scheduler_address)
        on_cluster = scores(at)
    assert len(stream.data) >= len(FAST)  # the fits ran on the workers
    here = scores(_compare(monkeypatch, None))
    assert here.to_numpy().tolist() == on_cluster.to_numpy().tolist()  # the same scores as on this server


def test_an_unreachable_cluster_is_said_and_the_fits_run_here(monkeypatch):
    at = _compare(monkeypatch, "tcp://127.0.0.1:9")
    assert any("could not be reached" in m and "trained on this server" in m for m in texts(at, "warning"))
    assert len(scores(at)) == len(FAST)


def test_a_cluster_that_fails_mid_run_is_said_and_the_fits_run_here(monkeypatch):
    def failing(jobs, data):
        raise OSError("connection to the scheduler lost")
        yield  # a generator, as a runner is

    monkeypatch.setattr(
        "components.shared_work.fit_runner", lambda: (failing, " on the Dask cluster at tcp://gone:8786")
    )
    at = _compare(monkeypatch, None)
    assert any("stopped answering (OSError: connection to the scheduler lost)" in m for m in texts(at, "warning"))
    assert len(scores(at)) == len(FAST)
