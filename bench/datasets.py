"""Packing + hashing a large dataset vs `sha256sum`; upload memory and throughput vs `curl -F`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.emulator_process import running_emulator
from bench.result import Result

__all__ = ["pack_and_upload"]

FILE_MB = 4
_UPLOAD = """
import resource, sys, time
from pathlib import Path
from provider.client import ModelStudioClient
from provider.settings import ClientSettings
settings = ClientSettings.resolve(api_key="sk-bench", endpoint=sys.argv[1], env={}, time_scale=1.0)
start = time.monotonic()
with ModelStudioClient(settings) as client:
    client.files.upload(Path(sys.argv[2]))
print(time.monotonic() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _make_dataset(folder: Path, gib: float) -> int:
    count = max(1, int(gib * 1024 / FILE_MB))
    folder.mkdir(parents=True)
    lines = []
    for index in range(count):
        (folder / f"{index}_0.png").write_bytes(os.urandom(FILE_MB * 1024 * 1024))
        lines.append(f'{{"prompt": "s86b5p, sample {index}", "img_path": "./{index}_0.png"}}\n')
    (folder / "data.jsonl").write_text("".join(lines), encoding="utf-8")
    return sum(p.stat().st_size for p in folder.iterdir())


def _best_of(runs: int, command: list[str], env: dict[str, str] | None = None) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run(command, check=True, capture_output=True, env=env)
        best = min(best, time.monotonic() - start)
    return best


def pack_and_upload(gib: float) -> list[Result]:
    """Both dataset benchmarks on one generated dataset of `gib` GiB."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        root = Path(tmp)
        size = _make_dataset(root / "data", gib)
        files = sorted(str(p) for p in (root / "data").iterdir())
        subprocess.run(["cat", *files], check=True, stdout=subprocess.DEVNULL)  # warm the page cache for both
        baseline = _best_of(3, ["sha256sum", *files])
        pack = (
            "from pathlib import Path; from provider.datasets.pack import pack_dataset; "
            f"pack_dataset(Path({str(root / 'data')!r}), Path({str(root / 'd.zip')!r}))"
        )
        ours = _best_of(
            3, [sys.executable, "-c", pack], env={**os.environ, "XDG_CACHE_HOME": str(root / "fresh-cache")}
        )
        ratio = ours / baseline
        results = [
            Result(
                "pack + hash a dataset vs sha256sum",
                f"{ratio:.2f}x ({ours:.2f} s vs {baseline:.2f} s for {size / 2**30:.2f} GiB)",
                "<= 1.5x",
                ratio <= 1.5,
                [
                    "ours: `pack_dataset` in a fresh process with an empty hash cache: one read per file that copies "
                    "it into the deterministic zip, computes the zip CRC and the content sha256",
                    "baseline: `sha256sum` over the same files; both after warming the page cache, best of 3",
                ],
            )
        ]
        zip_path = root / "d.zip"
        with running_emulator(root / "emulator", speed=1.0) as api:
            child = subprocess.run(
                [sys.executable, "-c", _UPLOAD, api, str(zip_path)], check=True, capture_output=True, text=True
            )
            seconds_text, rss_text = child.stdout.split()
            ours_s, rss_mb = float(seconds_text), int(rss_text) / 1024
            start = time.monotonic()
            subprocess.run(
                ["curl", "-sS", "-o", "/dev/null", "-H", "Authorization: Bearer sk-bench",
                 "-F", f"files=@{zip_path}", f"{api}/files"],
                check=True,
            )  # fmt: skip
            curl_s = time.monotonic() - start
        zip_mb = zip_path.stat().st_size / 2**20
        relative = (zip_mb / ours_s) / (zip_mb / curl_s)
        results.append(
            Result(
                "upload peak memory",
                f"{rss_mb:.0f} MB peak RSS for a {zip_mb:.0f} MB zip",
                "<= 150 MB",
                rss_mb <= 150,
                ["the client process's peak resident set (getrusage) while uploading through the typed client"],
            )
        )
        results.append(
            Result(
                "upload throughput vs curl -F",
                f"{relative:.2f}x ({zip_mb / ours_s:.0f} MB/s vs {zip_mb / curl_s:.0f} MB/s)",
                ">= 0.7x",
                relative >= 0.7,
                ["both upload the same zip as multipart `files=@…` to the same local emulator"],
            )
        )
        return results
