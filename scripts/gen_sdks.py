"""Generate the package's SDKs from provider/schema.json with `pulumi package gen-sdk` (Pulumi's code generators).

The SDKs are build outputs, not kept in git: the Python classes `provider/modelstudio_lora` (part of the wheel),
the TypeScript SDK `sdk/nodejs` and the Go SDK `sdk/go` (its module files `sdk/go.mod`, `sdk/go.sum` are kept).
`scripts/setup.sh` runs this with `--if-stale`; building the wheel runs it for Python when the classes are missing.

    python3 scripts/gen_sdks.py [--if-stale] [python] [nodejs] [go]      (no language: all three)

The `pulumi` used is the engine `scripts/setup.sh` built or chose (`.state/engine-path`), else the one on PATH.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["SDK_DIRS", "SdkGenerationError", "find_pulumi", "generate", "main"]

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path("provider/schema.json")
SDK_DIRS = {
    "python": Path("provider/modelstudio_lora"),
    "nodejs": Path("sdk/nodejs"),
    "go": Path("sdk/go"),
}
"""Where each language's SDK goes, relative to the checkout."""
_GENERATED = {"python": Path("python/modelstudio_lora"), "nodejs": Path("nodejs"), "go": Path("go")}
"""What of `pulumi package gen-sdk --out DIR` output (below DIR) is the SDK."""
_STAMP = ".generated-from"


class SdkGenerationError(RuntimeError):
    """An SDK could not be generated: the message says why and what to do."""


_WHAT = {
    "python": "the typed Python classes (modelstudio_lora)",
    "nodejs": "the TypeScript SDK (sdk/nodejs)",
    "go": "the Go SDK (sdk/go)",
}


def find_pulumi(root: Path = ROOT, languages: tuple[str, ...] = ("python",)) -> str:
    """The `pulumi` to generate with: this checkout's engine (`.state/engine-path`), else the one on PATH."""
    recorded = root / ".state" / "engine-path"
    if recorded.is_file():
        candidate = Path(recorded.read_text(encoding="utf-8").strip()) / "pulumi"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("pulumi")
    if found:
        return found
    msg = (
        f"no `pulumi` to generate {' and '.join(_WHAT[language] for language in languages)} from {SCHEMA} with: "
        "they are generated, not kept in git (a wheel carries the Python classes). Install the Pulumi CLI (3.200 "
        "or newer) or run `bash scripts/setup.sh` in this checkout (it builds one), then try again"
    )
    raise SdkGenerationError(msg)


def _fingerprint(root: Path, pulumi: str) -> str:
    """What the SDKs are generated from: the schema's bytes and the generator's version."""
    version = subprocess.run(
        [pulumi, "version"], capture_output=True, text=True, timeout=60, check=False, env=_env()
    ).stdout.strip()
    digest = hashlib.sha256((root / SCHEMA).read_bytes()).hexdigest()[:16]
    return f"schema {digest} pulumi {version}\n"


def _env() -> dict[str, str]:
    """The environment of the `pulumi` calls: no update check, no login needed."""
    return dict(os.environ, PULUMI_SKIP_UPDATE_CHECK="true", PULUMI_BACKEND_URL="file://" + tempfile.gettempdir())


def _current(root: Path, language: str, fingerprint: str) -> bool:
    """Whether the language's SDK folder holds what `fingerprint` generates."""
    stamp = root / ".state" / f"sdk-{language}{_STAMP}"
    target = root / SDK_DIRS[language]
    return target.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint


def generate(languages: list[str], *, root: Path = ROOT, if_stale: bool = False) -> list[str]:
    """Write the SDKs of `languages` below `root`; returns the languages written (all, unless `if_stale`)."""
    unknown = sorted(set(languages) - set(SDK_DIRS))
    if unknown:
        msg = f"unknown SDK language {', '.join(unknown)}: choose from {', '.join(SDK_DIRS)}"
        raise SdkGenerationError(msg)
    pulumi = find_pulumi(root, tuple(languages))
    fingerprint = _fingerprint(root, pulumi)
    written: list[str] = []
    for language in languages:
        if if_stale and _current(root, language, fingerprint):
            continue
        with tempfile.TemporaryDirectory(prefix="modelstudio-sdk-") as scratch:
            argv = [pulumi, "package", "gen-sdk", str(root / SCHEMA), "--language", language, "--out", scratch]
            done = subprocess.run(
                argv, cwd=scratch, capture_output=True, text=True, timeout=300, check=False, env=_env()
            )
            made = Path(scratch) / _GENERATED[language]
            if done.returncode != 0 or not made.is_dir():
                msg = (
                    f"`pulumi package gen-sdk --language {language}` ({pulumi}) failed for {SCHEMA}: "
                    f"{(done.stderr or done.stdout).strip()}"
                )
                raise SdkGenerationError(msg)
            _replace(made, root / SDK_DIRS[language])
        stamp = root / ".state" / f"sdk-{language}{_STAMP}"
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint, encoding="utf-8")
        written.append(language)
    return written


def _replace(made: Path, target: Path) -> None:
    """Put the generated folder in place of `target`, readable like checked-out sources."""
    staged = target.with_name(f".{target.name}.new")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(made, staged)
    for path in [staged, *staged.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(target, ignore_errors=True)
    staged.rename(target)


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the named SDKs (default all), only the stale ones with --if-stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("languages", nargs="*", metavar="LANGUAGE", help="python, nodejs or go (default: all three)")
    parser.add_argument("--if-stale", action="store_true", help="only SDKs whose schema or generator changed")
    args = parser.parse_args(argv)
    try:
        written = generate(list(args.languages) or list(SDK_DIRS), if_stale=args.if_stale)
    except SdkGenerationError as error:
        print(f"[gen-sdks] error: {error}", file=sys.stderr)
        return 1
    for language in written:
        print(f"[gen-sdks] wrote {SDK_DIRS[language]} ({language})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
