"""Run every reliability scenario against a fresh emulator and write docs/reliability.md.

Usage: `make reliability`, or after `make setup`: `source scripts/env.sh && python scripts/reliability.py [--cycles 10]`
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from modelstudio_emulator import EmulatorServer  # noqa: E402

from tests.e2e.pulumi_project import PulumiProject  # noqa: E402
from tests.reliability import scenarios  # noqa: E402
from tests.reliability.bad_inputs import CONFIGS, DATASETS, HYPER_PARAMETERS, PROGRAMS, PROVIDER_CONFIGS  # noqa: E402

SPEED = 20000.0


def _project(root: Path, server: EmulatorServer) -> PulumiProject:
    project = PulumiProject.create(root, emulator_url=server.url, api_url=server.api_url, time_scale=SPEED)
    project.emulator("reset", "POST")  # state, request log and faults
    project.emulator("clock", "POST", {"speed": SPEED})
    return project


def run(cycles: int) -> list[scenarios.Figures]:
    """All scenarios, each in its own project copy and a reset emulator."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with EmulatorServer(data_dir=root / "emulator", speed=SPEED) as server:
            results.append(scenarios.faults(_project(root / "faults", server), cycles))
            results.append(scenarios.crashes(_project(root / "crashes", server)))
            results.append(scenarios.bad_inputs(_project(root / "bad", server), root / "corpus"))
            results.append(scenarios.secrets(_project(root / "secrets", server)))
            results.append(scenarios.quotas(_project(root / "quotas", server)))
        results.append(scenarios.emulator_restart(root / "restart"))
    return results


def report(results: list[scenarios.Figures], seconds: float) -> str:
    """The Markdown report."""
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Reliability: nothing is lost or paid twice",
        "",
        f"Produced by `make reliability` (`scripts/reliability.py`) on {when} ({platform.machine()}, Python "
        f"{platform.python_version()}, {seconds:.0f} s). Every scenario drives the real `pulumi` CLI against the "
        "local emulator; rerun the script to reproduce these figures. The same scenarios run, smaller, in "
        "`tests/reliability/` on every `make test`.",
        "",
        "| scenario | cases | failures | duplicates | leaks | seconds |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {f.name} | {f.cases} | {f.failures} | {f.duplicates} | {f.leaks} | {f.seconds:.0f} |" for f in results
    ]
    lines += [
        "",
        "- **failures**: attempts that did not succeed on the first try (faults) or cases that did not behave as "
        "required (everything else). For faults, a failed `pulumi up` is simply run again, as a person or CI "
        "would; what matters is that it converges.",
        "- **duplicates**: files, training jobs or deployments created beyond the one each declaration needs.",
        "- **leaks**: files, jobs or deployments still live after `pulumi destroy`; for bad input, API calls that "
        "change anything (there must be none at preview); for secrets, places where the key was found.",
        "",
        "## Scenarios",
        "",
        "**Faults.** Full `up`/`destroy` cycles of the example model while the emulator injects mixed faults on "
        "each API request with a chance of about 23% (the count actually hit is under Notes): 429, 500 and 503 "
        "answers, connection resets, 300 ms stalls; a third of the "
        "500s and resets hit *after* the request was applied, the case a client cannot tell from a lost request. "
        "GET/PUT/DELETE are retried with backoff; a create that may have landed is never re-sent blindly: the "
        "provider first looks the object up (files, jobs and deployments by names carrying the stack's owner "
        "key, jobs also by what they train when the service keeps no custom names, exports by checkpoint) and "
        "adopts it.",
        "",
        "**Crashes.** `pulumi up` is killed with SIGKILL (whole process group) right after the dataset upload, "
        "after the job submission, while waiting for training, after the checkpoint export, and during the "
        "deployment. Recovery is `pulumi cancel` (releases the state lock) and `pulumi up`; the job the killed run "
        "started is adopted by name, so exactly one job trains. A `refresh` and a `preview --expect-no-changes` "
        "follow, then `destroy`.",
        "",
        "**Emulator restart.** The emulator process is killed mid-training and started again on the same data "
        "folder; the waiting `pulumi up` rides over the outage (reads are retried) and finishes with the same job.",
        "",
        f"**Bad input.** {len(DATASETS)} malformed datasets (among them links to files outside the dataset, "
        "named pipes, decompression bombs, GIF bytes named `.png`, encrypted, duplicate and link entries in zips, "
        "a zip over 1 GB whose files passed before, `NaN` in a `data.jsonl` line, an image in a sub-folder, a "
        f"mistyped folder), {len(HYPER_PARAMETERS)} bad hyper-parameter sets (among them `learning_rate: "
        f"Infinity`), {len(CONFIGS)} bad stack configs, {len(PROVIDER_CONFIGS)} bad provider settings (plain http "
        "to a remote host, unknown region, control characters in the key) and "
        f"{len(PROGRAMS)} programs declaring plain resources (a `FineTuneJob` that contradicts its dataset; NaN "
        "and Infinity as a hyper-parameter and a deadline) (`tests/reliability/bad_inputs.py`). Each "
        "`pulumi preview` must fail within "
        f"{scenarios.BAD_INPUT_TIMEOUT_S:.0f} s with a message naming the file (and line), the config field or "
        "setting and the fix, show no Python traceback through the provider or the program (the engine interrupting "
        "the program after the failure is counted under Notes), and the emulator's request log must show no call "
        "that changes anything.",
        "",
        "**Secrets.** The key is searched for in the `up` output, the exported state, the stack outputs, the "
        "preview diff, every resource of ours with secrets decrypted, the packed dataset zip, and the error of "
        "a wrong-region key (which must say `InvalidApiKey` and to check the key's region). The engine keeps "
        "stack config, including the key, encrypted with its default-provider record; that record is the only "
        "place the key exists in state.",
        "",
        "**Quotas.** With another job training, the waiting job reports `QUEUING` with the reason (one job trains "
        "at a time) and its deadline only counts training time. With 20 jobs running or succeeded, `up` fails with "
        "`429 Throttling` and says what the quota is and what to do.",
        "",
        "## Notes from this run",
        "",
    ]
    for figures in results:
        lines += [f"- {figures.name}: {note}" for note in figures.notes]
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    """Run and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cycles", type=int, default=10, help="up/destroy cycles under faults")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "reliability.md")
    args = parser.parse_args()
    start = time.monotonic()
    results = run(args.cycles)
    args.out.write_text(report(results, time.monotonic() - start), encoding="utf-8")
    for figures in results:
        print(f"{figures.name}: {figures.as_dict()}")
    bad = [f for f in results if f.duplicates or f.leaks or (f.failures and f.name != "faults")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
