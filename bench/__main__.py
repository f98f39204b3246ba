"""`python -m bench`: run every benchmark against a local emulator and write docs/performance.md."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.datasets import pack_and_upload  # noqa: E402
from bench.markdown import produced, table  # noqa: E402
from bench.polling import polling  # noqa: E402
from bench.preview import PREVIEW_RUNS, preview_ratio  # noqa: E402
from bench.result import Result  # noqa: E402


def _load() -> str:
    """The 1-minute load average and the core count: ratios are measured alternately, absolute times are not."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def report(results: list[Result], seconds: float, load_before: str) -> str:
    """The Markdown report."""
    lines = [
        "# Performance",
        "",
        produced("`python -m bench`", seconds)[:-1] + f"; load average {load_before} at the start, {_load()} at the "
        "end). Each figure is a ratio or a bound measured in one run on this machine; rerun `make bench` to "
        "reproduce.",
        "",
        *table(
            ("benchmark", "measured", "target", "met"),
            ((r.name, r.measured, r.target, "yes" if r.met else "**no**") for r in results),
        ),
    ]
    lines += ["", "## Details", ""]
    for result in results:
        lines.append(f"### {result.name}")
        lines.append("")
        lines += [f"- {detail}" for detail in result.details]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    """Run and write the report; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, nargs="+", default=[30, 100], help="LoraModels in the preview benchmarks")
    parser.add_argument("--gib", type=float, default=1.0, help="dataset size for the packing/upload benchmark")
    parser.add_argument(
        "--runs", type=int, default=None, help="repetitions of each timed step (default 3 packs, 5 uploads, 5 previews)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    args = parser.parse_args()
    start, load_before = time.monotonic(), _load()
    preview_runs = args.runs or PREVIEW_RUNS
    results = [
        *pack_and_upload(args.gib, args.runs),
        polling(),
        *(preview_ratio(count, preview_runs) for count in args.models),
    ]
    args.out.write_text(report(results, time.monotonic() - start, load_before), encoding="utf-8")
    for result in results:
        print(f"{result.name}: {result.measured} (target {result.target}) {'ok' if result.met else 'MISSED'}")
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
