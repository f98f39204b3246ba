"""Generate the package's SDKs from provider/schema.json with `pulumi package gen-sdk` (Pulumi's code generators).

The SDKs are build outputs, not kept in git: the Python classes `provider/modelstudio_lora` (part of the wheel),
the TypeScript SDK `sdk/nodejs` and the Go SDK `sdk/go` (its module files `sdk/go.mod`, `sdk/go.sum` are kept).
`scripts/setup.sh` runs this with `--if-stale`; building the wheel from a checkout runs it for Python (stale only).

    python3 scripts/gen_sdks.py [--if-stale] [python] [nodejs] [go]      (no language: all three)

The `pulumi` used is the engine `scripts/setup.sh` built or chose (`.state/engine-path`), else the one on PATH.
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import hashlib
import os
import re
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
MIN_PULUMI = (3, 200)
"""The oldest `pulumi` whose code generators the SDKs are tested with."""


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
    found: str | None = None
    if recorded.is_file():
        candidate = Path(recorded.read_text(encoding="utf-8").strip()) / "pulumi"
        found = str(candidate) if os.access(candidate, os.X_OK) else None
    found = found or shutil.which("pulumi")
    what = " and ".join(_WHAT[language] for language in languages)
    if not found:
        msg = (
            f"no `pulumi` to generate {what} from {SCHEMA} with: they are generated, not kept in git (a wheel "
            "carries the Python classes). Install the Pulumi CLI (3.200 or newer) or run `bash scripts/setup.sh` "
            "in this checkout (it builds one), then try again"
        )
        raise SdkGenerationError(msg)
    version = _version(found)
    match = re.match(r"v?(\d+)\.(\d+)", version)
    if not match or (int(match[1]), int(match[2])) < MIN_PULUMI:
        msg = (
            f"{found} is pulumi {version or '(no version)'}: generating {what} needs 3.200 or newer. Upgrade it, "
            "or run `bash scripts/setup.sh` in this checkout (it builds one), then try again"
        )
        raise SdkGenerationError(msg)
    return found


@functools.cache
def _version(pulumi: str) -> str:
    """What `pulumi version` prints, or "" when it does not run."""
    try:
        done = subprocess.run([pulumi, "version"], capture_output=True, text=True, timeout=60, check=False, env=_env())
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def _sources(root: Path, pulumi: str) -> str:
    """What every SDK is generated from: the schema, this script and the CLI's version."""
    schema = hashlib.sha256((root / SCHEMA).read_bytes()).hexdigest()[:16]
    script = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"schema {schema} script {script} pulumi {_version(pulumi)}"


def _host(pulumi: str, language: str) -> str:
    """The language host that generates `language`'s SDK (next to the CLI, else on PATH), by path, size and time."""
    host = Path(pulumi).parent / f"pulumi-language-{language}"
    located = str(host) if host.is_file() else shutil.which(f"pulumi-language-{language}")
    facts = Path(located).stat() if located else None
    return f"{located} {facts.st_size} {facts.st_mtime_ns}" if facts else "none"


def _env() -> dict[str, str]:
    """The environment of the `pulumi` calls: no update check, no login needed."""
    return dict(os.environ, PULUMI_SKIP_UPDATE_CHECK="true", PULUMI_BACKEND_URL="file://" + tempfile.gettempdir())


def _stamp(root: Path, language: str) -> Path:
    """Where the fingerprint of the language's SDK folder is kept."""
    return root / ".state" / f"sdk-{language}{_STAMP}"


def generate(languages: list[str], *, root: Path = ROOT, if_stale: bool = False) -> list[str]:
    """Write the SDKs of `languages` below `root`; returns the languages written (all, unless `if_stale`)."""
    unknown = sorted(set(languages) - set(SDK_DIRS))
    if unknown:
        msg = f"unknown SDK language {', '.join(unknown)}: choose from {', '.join(SDK_DIRS)}"
        raise SdkGenerationError(msg)
    pulumi = find_pulumi(root, tuple(languages))
    sources = _sources(root, pulumi)
    (root / ".state").mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    with (root / ".state" / "gen-sdks.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one generation at a time (two setups, a build during a setup)
        for language in languages:
            fingerprint = f"{sources} host {_host(pulumi, language)}\n"
            stamp = _stamp(root, language)
            target = root / SDK_DIRS[language]
            current = target.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint
            if if_stale and current:
                continue
            try:
                _generate_one(root, pulumi, language, stamp)
            except (OSError, subprocess.TimeoutExpired) as error:
                msg = f"generating {_WHAT[language]} from {SCHEMA} failed: {error}"
                raise SdkGenerationError(msg) from None
            stamp.write_text(fingerprint, encoding="utf-8")
            written.append(language)
    return written


def _generate_one(root: Path, pulumi: str, language: str, stamp: Path) -> None:
    """Run `pulumi package gen-sdk` for `language` and put its SDK in place (the stamp goes first)."""
    with tempfile.TemporaryDirectory(prefix="modelstudio-sdk-") as scratch:
        argv = [pulumi, "package", "gen-sdk", str(root / SCHEMA), "--language", language, "--out", scratch]
        done = subprocess.run(argv, cwd=scratch, capture_output=True, text=True, timeout=300, check=False, env=_env())
        made = Path(scratch) / _GENERATED[language]
        if done.returncode != 0 or not made.is_dir():
            msg = (
                f"`pulumi package gen-sdk --language {language}` ({pulumi}) failed for {SCHEMA}: "
                f"{(done.stderr or done.stdout).strip()}"
            )
            raise SdkGenerationError(msg)
        stamp.unlink(missing_ok=True)
        _replace(made, root / SDK_DIRS[language])


def _kept(made: Path) -> set[str]:
    """Top-level names the SDK's own .gitignore lists (what users build in it, e.g. node_modules/, bin/)."""
    ignore = made / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    return {line.strip().strip("/") for line in lines if line.strip() and not line.startswith("#")}


def _files(folder: Path, skip: set[str]) -> dict[str, bytes]:
    """The files below `folder` by relative path, leaving out top-level `skip` names and byte-code caches."""
    files: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if relative.parts[0] in skip or "__pycache__" in relative.parts or not path.is_file():
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


def _replace(made: Path, target: Path) -> None:
    """Put the generated folder in place of `target` unless it holds the same files; what users built is kept."""
    kept = _kept(made)
    if target.is_dir() and _files(target, kept) == _files(made, kept):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        staged = staging / target.name
        shutil.copytree(made, staged)
        umask = os.umask(0)
        os.umask(umask)
        for path in [staged, *staged.rglob("*")]:
            path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)
        if target.is_dir():
            for name in kept:
                if (target / name).exists():
                    (target / name).rename(staged / name)
            target.rename(staging / "previous")
        staged.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
