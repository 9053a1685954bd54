"""`python -m bench` (`make bench`): measure; `python -m bench profile`: say where the time goes;
`python -m bench growth`: say which parts of a query grow with the archive."""

from __future__ import annotations

import io
import logging
import pstats
import shutil
import sys
from pathlib import Path

import click

from bench.articles import prepared_path
from bench.phases import PhaseFailed, run_phase
from bench.report import render, save
from bench.run import (
    DEFAULT_CACHE,
    DEFAULT_RESULTS,
    DEFAULT_SIZES,
    FLOOR_SAMPLE,
    FULL_SIZES,
    BenchConfig,
    default_workers,
    run_bench,
)
from bench.synthetic import DEFAULT_SEED, ensure_corpus

QUICK_SIZES = (300,)
SKIPPABLE = ("floor", "analysis", "incremental", "query", "http", "ocr", "load", "terminal")


_FACTORS = {"k": 1000, "m": 1_000_000}


def _sizes(text: str) -> tuple[int, ...]:
    """'1000,10000', '1k,10k' or '1m' as a tuple of ints."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        factor = _FACTORS.get(part[-1], 1)
        try:
            value = int(float(part.rstrip("km")) * factor)
        except ValueError:
            raise click.BadParameter(f"{part!r} is not a size: use e.g. 1000,10000 or 1k,10k,1m") from None
        if value < 100:
            raise click.BadParameter(f"{value} is too small: the incremental phase changes 1% (at least 100)")
        sizes.append(value)
    return tuple(sizes)


@click.group(invoke_without_command=True)
@click.option("--sizes", default=",".join(map(str, DEFAULT_SIZES)), show_default=True,
              help="Corpus sizes, comma separated (1000,10000 or 1k,10k,1m).")
@click.option("--full", is_flag=True, help=f"Sizes {','.join(map(str, FULL_SIZES))} (100k takes a while).")
@click.option("--quick", is_flag=True, help=f"A tiny run: {QUICK_SIZES[0]} articles, 2 passes of the mix.")
@click.option("--reps", default=8, show_default=True, type=click.IntRange(1, 1000),
              help="Timed passes of the query mix (in-process and over HTTP).")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int, help="Synthetic corpus seed.")
@click.option("--skip", multiple=True, type=click.Choice(SKIPPABLE), help="Leave a phase out (repeatable).")
@click.option("--keep-index", is_flag=True, help="Keep each size's index in the cache directory.")
@click.option("--reuse-index", is_flag=True,
              help="Measure only serving (query, http, load) on the indexes an earlier --keep-index run kept.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Writer processes of the full build [default: the indexer's own choice].")
@click.option("--buffer-mb", type=click.IntRange(1, 65536), default=None,
              help="Each writer's buffer [default: the indexer's own].")
@click.option("--floor-sample", type=click.IntRange(1000), default=FLOOR_SAMPLE, show_default=True,
              help="Above this many articles the floor and the analysis are measured on this many and scaled.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE,
              show_default=True, help="Synthetic corpora and indexes.")
@click.option("--results-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RESULTS,
              show_default=True, help="Where <timestamp>.json and .md are written.")
@click.option("-v", "--verbose", is_flag=True, help="Log every phase's arguments.")
@click.pass_context
def main(ctx: click.Context, sizes: str, full: bool, quick: bool, reps: int, seed: int, skip: tuple[str, ...],
         keep_index: bool, reuse_index: bool, workers: int | None, buffer_mb: int | None, floor_sample: int, cache_dir: Path,
         results_dir: Path, verbose: bool) -> None:
    """Generate synthetic corpora and measure build, incremental update, size, RSS and query latency."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    if ctx.invoked_subcommand is not None:
        return
    chosen = QUICK_SIZES if quick else FULL_SIZES if full else _sizes(sizes)
    config = BenchConfig(sizes=chosen, seed=seed, reps=2 if quick else reps, cache_dir=cache_dir,
                         results_dir=results_dir, keep_index=keep_index, reuse_index=reuse_index, skip=frozenset(skip),
                         workers=workers, buffer_mb=buffer_mb, floor_sample=floor_sample)
    run = run_bench(config)
    json_path, md_path = save(run, results_dir)
    click.echo(render(run))
    click.echo(f"results: {json_path}\n         {md_path}")
    if run.get("errors") or any(r.get("errors") for r in run["results"]):
        sys.exit(1)


@main.command()
@click.option("--index", "index_dir", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="An existing index, e.g. one kept by --keep-index.")
@click.option("--size", required=True, type=int, help="How many articles it holds (sizes the export of the mix).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="N [default: the cores].")
@click.option("--terminal/--no-terminal", default=True, show_default=True, help="Time the terminal commands too.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE)
def serving(index_dir: Path, size: int, workers: int | None, terminal: bool, cache_dir: Path) -> None:
    """Only the serving figures, on an existing index: 16 clients against 1 and N workers, exports in
    the mix, the costliest queries (and the terminal commands)."""
    from bench.load import measure_load
    from bench.report import costly_lines, serving_table
    from bench.run import derive
    from bench.terminal import measure_terminal

    result = {"n": size, "load": measure_load(index_dir, cache_dir, size, workers or default_workers())}
    result["derived"] = derive(result)
    run = {"results": [result]}
    click.echo(serving_table(run))
    click.echo("\n".join(["", *costly_lines(run)]))
    if terminal:
        timed = measure_terminal(cache_dir)
        click.echo(f"\nterminal, wall / CPU s: --help {timed['help']['median_s']} / {timed['help']['cpu_median_s']}, "
                   f"search 援疆 {timed['search']['median_s']} / {timed['search']['cpu_median_s']} (python -c pass "
                   f"{timed['python_start']['median_s']} / {timed['python_start']['cpu_median_s']}), "
                   f"medians of {timed['runs']} runs")


@main.command()
@click.option("--size", default=10000, show_default=True, type=int, help="Corpus size to profile.")
@click.option("--phase", "phases", multiple=True, type=click.Choice(("build", "query", "floor", "analysis")),
              default=("build", "query"), show_default=True, help="Phases to profile (repeatable).")
@click.option("--top", default=30, show_default=True, type=int, help="Functions shown per listing.")
@click.option("--reps", default=3, show_default=True, type=int, help="Passes of the query mix profiled.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int, help="Synthetic corpus seed.")
@click.option("--workers", type=int, default=1, show_default=True,
              help="Writer processes of the profiled build (1: cProfile sees all the work).")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Profile queries on this existing index (e.g. one kept by --keep-index) instead of building one.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE)
@click.option("--results-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RESULTS)
def profile(size: int, phases: tuple[str, ...], top: int, reps: int, seed: int, workers: int, index_dir: Path | None,
            cache_dir: Path, results_dir: Path) -> None:
    """Run phases under cProfile and show the functions that take the time (stats kept as .prof)."""
    corpus = ensure_corpus(cache_dir, size, seed)
    prepared, changed_prepared = prepared_path(corpus.path), prepared_path(corpus.changed_path)
    if not prepared.is_file() or not changed_prepared.is_file():
        run_phase("read", {"corpus": str(corpus.path), "prepared": str(prepared), "changed": str(corpus.changed_path),
                           "changed_prepared": str(changed_prepared), "n": size, "seed": seed, "sample": 100})
    if index_dir is not None and "build" in phases:
        raise click.ClickException("--index is for profiling queries on an existing index: leave out --phase build")
    index_dir = index_dir or cache_dir / f"profile-index-n{size}"
    if "query" in phases and "build" not in phases and not index_dir.is_dir():
        phases = ("build", *phases)
    order = [p for p in ("floor", "analysis", "build", "query") if p in phases]
    if "build" in order:
        shutil.rmtree(index_dir, ignore_errors=True)
    for phase in order:
        path = results_dir / f"profile-n{size}-{phase}.prof"
        args = {"corpus": str(corpus.path), "prepared": str(prepared), "index": str(index_dir), "reps": reps,
                "profile": str(path), "workers": workers}
        try:
            result = run_phase(phase, args)
        except PhaseFailed as error:
            raise click.ClickException(str(error)) from None
        figure = result.get("seconds") or {k: result[k]["overall"] for k in ("fresh", "repeat") if k in result}
        click.echo(f"\n=== {phase} at {size:,} articles: {figure} (profiled, so slower than measured) — {path}")
        for sort in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(str(path), stream=out).strip_dirs().sort_stats(sort).print_stats(top)
            text = out.getvalue()
            click.echo(f"--- by {sort}\n" + text[text.find("   ncalls"):])


@main.command()
@click.option("--index", "indexes", type=(int, click.Path(file_okay=False, exists=True, path_type=Path)), multiple=True,
              required=True, help="N and an index of N articles (kept by --keep-index); give two.")
@click.option("--reps", default=2, show_default=True, type=int, help="Passes of the query mix profiled.")
@click.option("--results-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RESULTS)
def growth(indexes: tuple[tuple[int, Path], ...], reps: int, results_dir: Path) -> None:
    """Profile the query phase on two indexes and show how each part's time per query grows with N."""
    from bench.growth import compare, render
    from bench.queries import QUERY_MIX, fresh_queries

    if len(indexes) != 2:
        raise click.BadParameter("give --index twice: a smaller and a larger index", param_hint="--index")
    (n1, small), (n2, large) = sorted(indexes)
    paths = []
    for n, index_dir in ((n1, small), (n2, large)):
        path = results_dir / f"growth-n{n}-query.prof"
        try:
            run_phase("query", {"index": str(index_dir), "reps": reps, "profile": str(path)})
        except PhaseFailed as error:
            raise click.ClickException(str(error)) from None
        paths.append(path)
    queries = len(fresh_queries()) + len(QUERY_MIX) * (reps + 1)
    table = render(compare((n1, paths[0]), (n2, paths[1]), queries), n1, n2)
    out = results_dir / f"growth-n{n1}-n{n2}.md"
    out.write_text(table + "\n", encoding="utf-8")
    click.echo(table)
    click.echo(f"written to {out}")


if __name__ == "__main__":
    main(prog_name="python -m bench")
