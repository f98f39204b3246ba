"""`python -m modelstudio_emulator --port 0 --data DIR`: run the emulator until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from modelstudio_emulator.compat import COMPAT_ENV, Compat, CompatError, parse_compat
from modelstudio_emulator.server import EmulatorServer


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve, print the URL."""
    parser = argparse.ArgumentParser(
        prog="python -m modelstudio_emulator", description="Local Model Studio (DashScope) emulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--data", dest="data_dir", type=Path, default=Path(".state/emulator"), help="state folder (SQLite + files)"
    )
    parser.add_argument("--speed", type=float, default=600.0, help="simulated seconds per real second (0 freezes)")
    parser.add_argument("--region", choices=["cn-beijing", "ap-southeast-1"], default="cn-beijing")
    parser.add_argument(
        "--api-key", dest="api_keys", action="append", default=[], help="accept only these keys (repeatable)"
    )
    parser.add_argument("--job-quota", type=int, default=20, help="jobs running or succeeded before 429")
    parser.add_argument("--url-file", type=Path, help="write the base URL here once listening")
    parser.add_argument(
        "--compat",
        action="append",
        default=[],
        metavar="KEY=VALUE|strict",
        help=f"a compatibility reading (repeatable; default from {COMPAT_ENV}); see docs/emulator.md",
    )
    options = vars(parser.parse_args(argv))  # the rest are EmulatorServer's own parameters
    url_file: Path | None = options.pop("url_file")
    try:
        compat = Compat.from_environment()
        for item in options.pop("compat"):
            compat.update(parse_compat(item))
    except CompatError as exc:
        parser.error(str(exc))

    server = EmulatorServer(**options, compat=compat).start()
    if url_file:
        url_file.write_text(server.url, encoding="utf-8")
    print(f"emulator listening on {server.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
