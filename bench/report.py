"""Turning a run's JSON into the Markdown table and the growth lines, and saving both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.ocr import ocr_lines
from bench.stats import growth_exponent


def _fmt(value: Any, digits: int = 2) -> str:
    """A table cell: a number to digits places, or an en dash when missing."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _triple(a: Any, b: Any, c: Any) -> str:
    """p50 / p95 / p99 in one cell."""
    return " / ".join(_fmt(v, 1) for v in (a, b, c))


def markdown_table(run: dict[str, Any]) -> str:
    """The headline Markdown table: one row per corpus size."""
    header = (
        "| N | jieba floor s | load s | build s | build ÷ floor | (load+build) ÷ floor | incr. 1% s | "
        "incr. ÷ build | index MB | segments | build peak MB, tree PSS (RSS) | in-process p50/p95/p99 ms | "
        "HTTP p50/p95/p99 ms | HTTP repeat p50/p95 ms | suggest p50/p95 ms | server peak RSS MB (anon at end) "
        "| start s | reprints s (÷ build; in incr.) |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    sampled = False
    for result in run["results"]:
        d = result["derived"]
        floor, load = _fmt(d["floor_s"], 1), _fmt(d["load_s"], 1)
        if d.get("floor_sampled"):
            floor += "*"
            sampled = True
        if d.get("load_sampled"):
            load += "*"
            sampled = True
        lines.append(
            "| " + " | ".join([
                f"{result['n']:,}", floor, load, _fmt(d["build_s"], 1),
                _fmt(d["build_ratio"]), _fmt(d["load_and_build_ratio"]), _fmt(d["incremental_s"], 2),
                _fmt(d["incremental_ratio"], 3), _fmt(d["size_mb"], 1), _fmt(d.get("segments")),
                f"{_fmt(d.get('build_tree_pss_mb'), 0)} ({_fmt(d.get('build_tree_rss_mb'), 0)})",
                _triple(d["query_p50_ms"], d["query_p95_ms"], d["query_p99_ms"]),
                _triple(d["http_p50_ms"], d["http_p95_ms"], d["http_p99_ms"]),
                " / ".join(_fmt(v, 1) for v in (d["http_repeat_p50_ms"], d["http_repeat_p95_ms"])),
                " / ".join(_fmt(v, 1) for v in (d.get("http_suggest_p50_ms"), d.get("http_suggest_p95_ms"))),
                f"{_fmt(d['server_rss_mb'], 0)} ({_fmt(d.get('server_rss_anon_mb'), 0)})", _fmt(d["start_s"], 2),
                f"{_fmt(d.get('reprint_s'), 2)} ({_fmt(d.get('reprint_ratio'), 3)}; {_fmt(d.get('incremental_reprint_s'), 2)})",
            ]) + " |"
        )
    if sampled:
        lines += ["", "\\* measured on the first articles and scaled to the whole corpus by characters "
                      "(segmentation time is linear in them)."]
    runs = [(result["n"], result["derived"].get("incremental_runs_s")) for result in run["results"]]
    if any(times for _, times in runs):
        lines += ["", "The 1% reindex is the median of its runs (the changed corpus, the original again, the changed "
                      "one again): " + "; ".join(f"{n:,}: " + ", ".join(_fmt(t, 2) for t in times) + " s"
                                                  for n, times in runs if times) + "."]
    return "\n".join(lines)


def serving_table(run: dict[str, Any]) -> str:
    """Throughput of one and of N workers under 16 clients, exports in the mix, the costliest query."""
    header = ("| N | req/s 1 worker | req/s N workers | speedup | cores used by the server (by the clients), 1 → N | "
              "server CPU ms a request, 1 → N | "
              "p50 / p95 ms 1 worker | p50 / p95 ms N workers | "
              "p95 ms with 5% exports (÷ without) | exports done / 429 | slowest answered costly query ms |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for result in run["results"]:
        d = result["derived"]
        if d.get("speedup") is None:
            continue
        exports = result["load"]["workers"].get("with_exports", {}).get("exports", {})
        one, many = result["load"]["one_worker"]["searches"], result["load"]["workers"]["searches"]
        lines.append("| " + " | ".join([
            f"{result['n']:,}", _fmt(d["rps_one_worker"], 1), f"{_fmt(d['rps_workers'], 1)} ({d['load_workers']})",
            _fmt(d["speedup"]),
            f"{_fmt(one.get('server_cores'))} ({_fmt(one.get('client_cores'))}) → "
            f"{_fmt(many.get('server_cores'))} ({_fmt(many.get('client_cores'))})",
            f"{_fmt(one.get('server_cpu_ms_per_request'))} → {_fmt(many.get('server_cpu_ms_per_request'))}",
            " / ".join(_fmt(v, 1) for v in (d["load_p50_ms_one_worker"], d["load_p95_ms_one_worker"])),
            " / ".join(_fmt(v, 1) for v in (d["load_p50_ms"], d["load_p95_ms"])),
            f"{_fmt(d['load_p95_ms_with_exports'], 1)} ({_fmt(d['export_p95_ratio'])})",
            f"{exports.get('done', '–')} / {exports.get('refused_429', '–')}",
            f"{_fmt(d['costliest_answered_ms'], 1)} ({d['costliest_answered']})",
        ]) + " |")
    return "\n".join(lines)


def costly_lines(run: dict[str, Any]) -> list[str]:
    """Each costly query at each size: its time, or the limit that refused it."""
    lines = []
    for result in run["results"]:
        queries = result.get("load", {}).get("workers", {}).get("adversarial", {}).get("queries", {})
        for label, r in queries.items():
            shown = f"{r['ms']:.0f} ms, {r['total']} hits" if r["status"] == 200 else f"{r['status']}: {r['error']}"
            lines.append(f"{result['n']:>9,}  {label:36} {shown}")
    return lines


def category_table(run: dict[str, Any], name: str) -> str:
    """HTTP p50/p95 per query category and size for one query set (in-process in brackets)."""
    categories: list[str] = []
    for result in run["results"]:
        for category in result.get("http", {}).get(name, {}).get("by_category", {}):
            if category not in categories:
                categories.append(category)
    lines = ["| N | " + " | ".join(categories) + " |", "|---|" + "---|" * len(categories)]
    for result in run["results"]:
        cells = []
        for category in categories:
            http = result.get("http", {}).get(name, {}).get("by_category", {}).get(category)
            inproc = result.get("query", {}).get(name, {}).get("by_category", {}).get(category)
            cell = f"{http['p50']:.1f} / {http['p95']:.1f}" if http else "–"
            if inproc:
                cell += f" ({inproc['p50']:.1f} / {inproc['p95']:.1f})"
            cells.append(cell)
        lines.append(f"| {result['n']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# (label, path into derived or result, whether the figure is a total cost to divide by N)
_GROWTH = (
    ("jieba floor", ("derived", "floor_s"), True),
    ("load", ("derived", "load_s"), True),
    ("build", ("derived", "build_s"), True),
    ("incremental 1%", ("derived", "incremental_s"), True),
    ("index size", ("derived", "size_mb"), True),
    ("build peak PSS", ("derived", "build_tree_pss_mb"), False),
    ("server RSS", ("derived", "server_rss_mb"), False),
    ("in-process p50", ("derived", "query_p50_ms"), False),
    ("HTTP p50", ("derived", "http_p50_ms"), False),
    ("HTTP p95", ("derived", "http_p95_ms"), False),
    ("start", ("derived", "start_s"), False),
)


def growth_lines(run: dict[str, Any]) -> list[str]:
    """How each cost grows with N: per-article cost at each size and the exponent k in cost ∝ N^k."""
    results = run["results"]
    if len(results) < 2:
        return []
    lines = []
    for label, (section, key), total in _GROWTH:
        points = [(r["n"], r[section].get(key)) for r in results]
        points = [(n, v) for n, v in points if v]
        if len(points) < 2:
            continue
        if total:
            unit, scale = ("KB", 1024) if label == "index size" else ("ms", 1000)
            shown = ", ".join(f"{n:,}: {v * scale / n:.3g} {unit}/article" for n, v in points)
        else:
            shown = ", ".join(f"{n:,}: {v:.3g}" for n, v in points)
        exponents = ", ".join(
            f"{growth_exponent(n1, v1, n2, v2):.2f}" for (n1, v1), (n2, v2) in zip(points, points[1:])
        )
        lines.append(f"{label:15} {shown}  (cost ∝ N^k, k = {exponents})")
    return lines


def render(run: dict[str, Any]) -> str:
    """The whole Markdown report of a run."""
    env = run["environment"]
    parts = [
        f"# xjsearch benchmark {run['started_at']}",
        "",
        f"commit {env['commit'][:12]}{' (dirty)' if env['dirty'] else ''} · Python {env['python']} · "
        f"{env['cpus']} CPUs · load {env['loadavg'][0]:.2f} · seed {run['config']['seed']} · "
        f"{run['config']['reps']} passes of the query mix",
        "",
        markdown_table(run),
        "",
        "Latencies are of fresh queries (each query text new to the process: a full search); "
        "repeat = the fixed mix run again (the service's per-query match cache answers the typed part).",
        "",
        "Fresh queries, HTTP p50 / p95 ms by category (in-process in brackets):",
        "",
        category_table(run, "fresh"),
        "",
        "Repeated mix, HTTP p50 / p95 ms by category (in-process in brackets):",
        "",
        category_table(run, "repeat"),
    ]
    if any(r["derived"].get("speedup") is not None for r in run["results"]):
        parts += ["", "Serving: 16 clients sending the mix; N workers against one, then with one request in "
                      "twenty an export of about 10,000 rows:", "", serving_table(run),
                  "", "The costliest queries (answered in ms, or refused with the limit):", "", "```",
                  *costly_lines(run), "```"]
    terminal = run.get("terminal")
    if terminal:
        parts += ["", f"Terminal (median of {terminal['runs']} runs, wall / CPU s): `xjsearch --help` "
                      f"{terminal['help']['median_s']} / {terminal['help']['cpu_median_s']}, `xjsearch search 援疆` "
                      f"{terminal['search']['median_s']} / {terminal['search']['cpu_median_s']} "
                      f"(python -c pass {terminal['python_start']['median_s']} / "
                      f"{terminal['python_start']['cpu_median_s']})."]
    growth = growth_lines(run)
    if growth:
        parts += ["", "How cost grows with N:", "", "```", *growth, "```"]
    targets = [
        f"- {r['n']:,}: " + ", ".join(f"{name} {'✓' if ok else '✗' if ok is False else '–'}"
                                     for name, ok in r["derived"]["targets"].items())
        for r in run["results"]
    ]
    parts += ["", "Targets (issue 12 for the build, and for serving at 1,000,000; issue 5 for serving below):", "",
              *targets]
    parts += ocr_lines(run.get("ocr", {}))
    errors = [f"- {r['n']:,} {e['phase']}: {e['error']}" for r in run["results"] for e in r.get("errors", [])]
    errors += [f"- {e['phase']}: {e['error']}" for e in run.get("errors", [])]
    if errors:
        parts += ["", "Errors:", "", *errors]
    return "\n".join(parts) + "\n"


def save(run: dict[str, Any], results_dir: Path) -> tuple[Path, Path]:
    """Write the run as <timestamp>.json and <timestamp>.md in results_dir; their paths."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = run["started_at"].replace(":", "").replace("+0000", "Z").replace("+00:00", "Z")
    json_path = results_dir / f"{stamp}.json"
    md_path = results_dir / f"{stamp}.md"
    json_path.write_text(json.dumps(run, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(render(run), encoding="utf-8")
    return json_path, md_path
