"""A single self-contained HTML report of a comparison: works offline, charts stay interactive.

Every user string is HTML-escaped. plotly.js is inlined once, gzipped (about a third of its 4.8 MB),
and unpacked by the browser's own ``DecompressionStream`` when the file opens; each chart is a JSON
block that is drawn once the library is there. Nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from core.comparison.compare import describe
from core.comparison.takeaways import differences_caption, intervals_caption
from core.data.distribution import ClassDistribution
from core.modelling.evaluation import Evaluation

__all__ = ["build_number_report", "build_report", "versions"]

#: The libraries whose versions decide the numbers (and the app that drew them).
_LIBRARIES = ("scikit-learn", "imbalanced-learn", "numpy", "pandas", "scipy", "plotly", "streamlit")


def versions() -> str:
    """Python's and each library's version, in one line, as a report records them."""
    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return f"Python {platform.python_version()}, " + ", ".join(found)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;
line-height:1.45;padding:0 1rem}h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:right}th:first-child,td:first-child{text-align:left}.muted{color:#666;font-size:.9rem}
.best{font-weight:700;background:#e8f3ea}.caveat{background:#fff7e6;border-left:4px solid #e69f00;padding:.6rem 1rem}
pre.code{background:#f6f8fa;border:1px solid #ddd;padding:.8rem;font-size:.8rem;overflow-x:auto;white-space:pre}
@media print{pre.code{white-space:pre-wrap;word-break:break-all}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(frame: pd.DataFrame, *, best: dict[str, str] | None = None) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            value = row[col]
            shown = f"{value:.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
            cls = ' class="best"' if best and best.get(col) == row.get("strategy") else ""
            cells.append(f"<td{cls}>{_e(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


#: Metric columns per table part, so a table fits a laptop window and an A4 page without cutting.
COLUMNS_PER_PART = 5


def _tables(frame: pd.DataFrame, *, best: dict[str, str] | None = None) -> str:
    """``frame`` as tables of at most :data:`COLUMNS_PER_PART` metric columns, each led by the strategy."""
    lead = [c for c in ("strategy", "threshold") if c in frame.columns]
    rest = [c for c in frame.columns if c not in lead]
    return "".join(
        _table(frame[(lead if i == 0 else lead[:1]) + rest[i : i + COLUMNS_PER_PART]], best=best)
        for i in range(0, max(len(rest), 1), COLUMNS_PER_PART)
    )


def _for_page(fig: go.Figure) -> go.Figure:
    """A copy with fixed room for axis titles and tick labels: outside Streamlit, plotly's automatic
    margins left the y-axis titles on the tick labels and cut the confusion grid's class names."""
    out = go.Figure(fig)
    under = out.layout.legend.yref == "container"  # its bottom margin holds the axis and the legend already
    out.update_layout(margin={"l": 90, "r": 20, "t": 60} | ({} if under else {"b": 60}))
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True, title_standoff=12)
    return out


@functools.cache
def _packed_plotly() -> str:
    """plotly.js gzipped and in base64, packed once per process."""
    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), 9, mtime=0)).decode("ascii")


#: Unpacks plotly.js, runs it, then draws every chart from its JSON block (a fixed script: no user text).
_LOADER = """<script>
(async () => {
  const packed = document.getElementById('plotly-gz').textContent.trim();
  const bytes = Uint8Array.from(atob(packed), c => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const code = document.createElement('script');
  code.textContent = await new Response(stream).text();
  document.head.appendChild(code);
  for (const block of document.querySelectorAll('script.figure-json')) {
    const f = JSON.parse(block.textContent);
    Plotly.newPlot(block.previousElementSibling, f.data, f.layout, {displaylogo: false, responsive: true});
  }
})();
</script>"""


def _figure_block(fig: go.Figure) -> str:
    """A chart as an empty div and its figure as JSON (every ``<`` escaped, so no text can close the block)."""
    data = json.dumps(json.loads(_for_page(fig).to_json()), separators=(",", ":")).replace("<", "\\u003c")
    return f"<div class='figure'></div><script type='application/json' class='figure-json'>{data}</script>"


def _decision(decision: tuple[str, str, list[str], pd.DataFrame | None]) -> list[str]:
    headline, basis, lines, table = decision
    return ["<h2>The decision</h2>", f"<p><b>{_e(headline)}</b></p>", f"<p class='muted'>{_e(basis)}</p>",
            f"<p>{_e(lines[0])}</p>", *([_table(table)] if table is not None else []), "<ul>",
            *(f"<li>{_e(t)}</li>" for t in lines[1:]), "</ul>"]  # fmt: skip


def build_report(
    *,
    dataset_name: str,
    target: str,
    n_rows: int,
    distribution: ClassDistribution,
    split_text: str,
    evals: list[Evaluation],
    leaderboard: pd.DataFrame,
    best: dict[str, str],
    figures: list[tuple[str, go.Figure]],
    takeaways: list[str],
    summary: list[str] = (),
    differences: pd.DataFrame | None = None,
    warning: str | None = None,
    script: str | None = None,
    budget: tuple[float, pd.DataFrame, str] | None = None,
    production: tuple[str, pd.DataFrame, list[str], str] | None = None,
    decision: tuple[str, str, list[str], pd.DataFrame | None] | None = None,
    done: list[str] = (),
    n_train: int = 0,
    cv_folds: int = 0,
) -> str:
    """The comparison as one HTML document (plotly.js inlined and gzipped, no network needed).

    ``leaderboard`` is the readable table (values with intervals); ``summary`` says which way of
    handling the imbalance helped; ``differences`` sets each strategy against the baseline;
    ``warning`` flags a test split too small to judge by; ``script`` (from :func:`core.output.script.script`)
    becomes the appendix "How to reproduce"; ``budget`` (a share of the cases, the table of what
    reviewing them catches and its caption) becomes "If the team can review the top k %". ``production`` (a heading, the outcome table, a
    sentence per strategy and the caption) becomes "What happens in production". ``decision`` (a headline, its
    basis, its lines and its table of rivals, :func:`core.comparison.decision.decision_summary`) comes first, as "The decision"; ``done`` (one
    line per fact: folds, costs, seeds) is "What was done", followed by the library versions; ``n_train`` and
    ``cv_folds`` let each strategy's line say the folds and rows per tree it used.
    """
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Imbalance Explorer report: {_e(dataset_name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Imbalance Explorer report</h1>",
        f"<p class='muted'>Made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>",
        *(_decision(decision) if decision else []),
        "<h2>Dataset</h2>",
        f"<p><b>{_e(dataset_name)}</b>: {n_rows:,} rows; target <b>{_e(target)}</b> with {distribution.n_classes} "
        f"classes, imbalance ratio {distribution.imbalance_ratio:,.1f} : 1 ({_e(distribution.severity.value)}).</p>",
        _table(distribution.table.assign(percent=distribution.table["percent"].round(2))),
        f"<p>{_e(distribution.summary(target=target))}</p>",
        f"<p class='muted'>{_e(split_text)}</p>",
        "<h2>Strategies</h2><ul>",
        *(
            f"<li><b>{_e(ev.name)}</b>: {_e(describe(ev.strategy, n_train=n_train, cv_folds=cv_folds))}</li>"
            for ev in evals
        ),
        "</ul>",
        "<h2>What was done</h2><ul>",
        *(f"<li>{_e(t)}</li>" for t in done),
        f"<li>{_e(versions())}.</li>",
        "</ul>",
        *([f"<p class='caveat'>{_e(warning)}</p>"] if warning else []),
        *(["<h2>What helped here</h2><ul>", *(f"<li>{_e(t)}</li>" for t in summary), "</ul>"] if summary else []),
        "<h2>Leaderboard</h2>",
        "<p class='muted'>Measured on the untouched test split, each strategy at its own decision threshold. "
        f"{_e(intervals_caption(evals[0].binary))}</p>",
        _tables(leaderboard, best=best),
        *(
            [
                "<h2>Differences from the baseline</h2>",
                f"<p class='muted'>{_e(differences_caption(evals))}</p>",
                _tables(differences),
            ]
            if differences is not None and len(differences)
            else []
        ),
        "<h2>Takeaways</h2><ul>",
        *(f"<li>{_e(t)}</li>" for t in takeaways),
        "</ul>",
        *(
            [
                "<h2>What happens in production</h2>",
                f"<p><b>{_e(production[0])}</b></p>",
                _tables(production[1]),
                "<ul>",
                *(f"<li>{_e(t)}</li>" for t in production[2]),
                "</ul>",
                f"<p class='muted'>{_e(production[3])}</p>",
            ]
            if production
            else []
        ),
        *(
            [
                f"<h2>If the team can review the top {budget[0]:.0%} of cases</h2>",
                _table(budget[1]),
                f"<p class='muted'>{_e(budget[2])} The cumulative gains and lift charts below show every budget.</p>",
            ]
            if budget
            else []
        ),
    ]
    for title, fig in figures:
        parts.append(f"<h2>{_e(title)}</h2>")
        parts.append(_figure_block(fig))
    parts += [
        "<h2>Caveats</h2><div class='caveat'><ul>",
        "<li>The data was split first (stratified). Every resampling ran inside the training split only, as "
        "part of each strategy's pipeline; the test split kept its real class mix and was never resampled.</li>",
        "<li>Scores come from one test split; the intervals show how much they would move on another draw of it. "
        "With cross-validation on, the spread across folds is shown too.</li>",
        "<li>Tuned thresholds and calibrations were chosen on held-out parts of the training split, never on the "
        "test split.</li>",
        "<li>Resampling and class weights shift predicted probabilities: a threshold of 0.5 is not a 50 % chance.</li>",
        "</ul></div>",
    ]
    if script:
        parts += [
            "<h2>Appendix: how to reproduce</h2>",
            "<p>This Python script repeats the comparison with pandas, scikit-learn and imbalanced-learn alone: "
            "the same file, columns, split, seed and pipelines, and it prints the scores above (without their "
            "intervals). Save it as a <code>.py</code> file next to the data file and run it.</p>",
            f"<pre class='code'><code>{_e(script)}</code></pre>",
        ]
    parts += [f"<script id='plotly-gz' type='application/octet-stream'>{_packed_plotly()}</script>", _LOADER]
    parts.append("</body></html>")
    return "\n".join(parts)


def build_number_report(
    *,
    dataset_name: str,
    target: str,
    n_rows: int,
    about: str,
    split_text: str,
    strategies: list[tuple[str, str]],
    errors: pd.DataFrame,
    sentences: list[str],
    figures: list[tuple[str, go.Figure]],
    script: str | None = None,
) -> str:
    """A numeric target's strategies as one HTML document, as :func:`build_report` makes it for classes:
    ``about`` is the target's sentence (its rare range), ``strategies`` (name, what it does), ``errors`` the
    page's table, ``sentences`` what each strategy bought and cost. Every user string is escaped."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Imbalance Explorer report: {_e(dataset_name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Imbalance Explorer report: a skewed number</h1>",
        f"<p class='muted'>Made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>",
        "<h2>Dataset</h2>",
        f"<p><b>{_e(dataset_name)}</b>: {n_rows:,} rows; target <b>{_e(target)}</b>, a number. {_e(about)}</p>",
        f"<p class='muted'>{_e(split_text)}</p>",
        "<h2>Strategies</h2><ul>",
        *(f"<li><b>{_e(name)}</b>: {_e(what)}</li>" for name, what in strategies),
        "</ul><h2>Errors where they matter</h2>",
        _table(errors),
        "<p class='muted'>The median absolute error's 95 % interval is distribution-free (the sign test). MAE and "
        "RMSE have none: on a heavy tail no interval for a mean holds its claim.</p>",
        "<h2>What each strategy bought, and what it cost</h2><ul>",
        *(f"<li>{_e(t)}</li>" for t in sentences),
        "</ul>",
    ]
    for title, fig in figures:
        parts += [f"<h2>{_e(title)}</h2>", _figure_block(fig)]
    parts += [
        "<h2>Caveats</h2><div class='caveat'><ul>",
        "<li>The data was split first, stratified by the target's deciles with the rare range a stratum of its own. "
        "Resampling, weights and target transforms were fitted on the training split only; the test split was "
        "never resampled.</li>",
        "<li>The rare range used by the strategies was found on the training rows.</li>",
        f"<li>Made with {_e(versions())}.</li>",
        "</ul></div>",
    ]
    if script:
        parts += ["<h2>Appendix: how to reproduce</h2>", f"<pre class='code'><code>{_e(script)}</code></pre>"]
    parts += [f"<script id='plotly-gz' type='application/octet-stream'>{_packed_plotly()}</script>", _LOADER,
              "</body></html>"]  # fmt: skip
    return "\n".join(parts)
