"""Check a dataset folder or zip against every documented rule, collecting all problems with fixes."""

from __future__ import annotations

import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError

from provider.datasets.rules import (
    DATA_FILE,
    IMAGE_EXTENSIONS,
    MAX_DATA_FILE_BYTES,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    MAX_ZIP_BYTES,
    RECOMMENDED_IMAGES,
)
from provider.datasets.source import Entry, open_entry, scan
from provider.errors import DatasetError

__all__ = ["DatasetReport", "GenerationType", "Problem", "Role", "validate_dataset"]

GenerationType = Literal["t2i", "i2i"]
Role = Literal["training", "validation"]


@dataclass(frozen=True)
class Problem:
    """One broken rule: where, what, and how to fix it."""

    file: str
    message: str
    fix: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        """`data.jsonl line 7: img_path './7.png' does not exist — add the image or remove the line`."""
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}: {self.message} — {self.fix}"


@dataclass
class DatasetReport:
    """Result of a validation."""

    source: str
    image_count: int = 0
    size_bytes: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def raise_for_errors(self) -> None:
        """Raise DatasetError naming every problem."""
        if self.errors:
            problems = [str(p) for p in self.errors]
            msg = f"dataset {self.source} breaks {len(problems)} rule(s):\n  " + "\n  ".join(problems)
            raise DatasetError(msg, path=self.source, problems=problems)


def _required_keys(generation_type: GenerationType, role: Role) -> tuple[str, ...]:
    if role == "training":
        return ("prompt", "img_path") if generation_type == "t2i" else ("prompt", "input_img", "img_path")
    return ("prompt",) if generation_type == "t2i" else ("prompt", "input_img")


def _normalize(ref: str) -> str | None:
    """`./a.png` -> `a.png`; None for anything that leaves the folder or enters a sub-folder."""
    cleaned = posixpath.normpath(ref.replace("\\", "/"))
    if cleaned.startswith(("../", "/")) or cleaned == ".." or "/" in cleaned:
        return None
    return cleaned


class _Checker:
    def __init__(self, source: Path, generation_type: GenerationType, role: Role) -> None:
        self.source = source
        self.gen = generation_type
        self.role = role
        self.report = DatasetReport(str(source))
        self.files: dict[str, Entry] = {}

    def error(self, file: str, message: str, fix: str, *, line: int | None = None, key: str | None = None) -> None:
        self.report.errors.append(Problem(file, message, fix, line, key))

    def warn(self, file: str, message: str, fix: str, *, line: int | None = None) -> None:
        self.report.warnings.append(Problem(file, message, fix, line))

    def run(self) -> DatasetReport:
        if not self.source.exists():
            self.error(str(self.source), "no such folder or .zip", "create it or fix the path")
            return self.report
        if self.source.is_file():
            if self.source.suffix.lower() != ".zip":
                self.error(self.source.name, "is neither a folder nor a .zip", "point source at the dataset folder")
                return self.report
            if self.source.stat().st_size > MAX_ZIP_BYTES:
                self.error(self.source.name, "zip is larger than 1 GiB", "split the dataset or shrink the images")
            try:
                entries = scan(self.source)
            except zipfile.BadZipFile:
                self.error(self.source.name, "is not a readable zip file", "re-create the zip")
                return self.report
        else:
            entries = scan(self.source)
        self.check_layout(entries)
        if DATA_FILE not in self.files:
            self.error(DATA_FILE, "missing", f"add a {DATA_FILE} with one JSON object per line at the top level")
            return self.report
        referenced = self.check_data_file()
        self.check_images(referenced)
        return self.report

    def check_layout(self, entries: list[Entry]) -> None:
        for entry in entries:
            if entry.is_dir or "/" in entry.name:
                top = entry.name.split("/", 1)[0]
                if entry.is_dir and not any(e.name.startswith(f"{entry.name}/") for e in entries):
                    continue
                self.error(
                    entry.name,
                    "sub-folders are not allowed (the zip must be flat)",
                    f"move the files of '{top}/' to the top level and fix their paths in {DATA_FILE}",
                )
                continue
            if not entry.name.isascii():
                self.error(entry.name, "file name is not ASCII", "rename it using English letters, digits, '_', '-'")
            self.files[entry.name] = entry
            self.report.size_bytes += entry.size
        for name in self.files:
            if name != DATA_FILE and name.lower() == DATA_FILE:
                self.error(name, f"must be named exactly {DATA_FILE}", f"rename it to {DATA_FILE}")

    def check_data_file(self) -> dict[str, int]:
        """Parse data.jsonl; return referenced image -> first line number."""
        entry = self.files[DATA_FILE]
        if entry.size > MAX_DATA_FILE_BYTES:
            self.error(DATA_FILE, "is larger than 20 MB", "shorten the prompts or split the dataset")
        with open_entry(self.source, DATA_FILE) as stream:
            raw = stream.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error(DATA_FILE, "is not UTF-8 text", "save it as UTF-8")
            return {}
        if text.lstrip().startswith("["):
            self.error(DATA_FILE, "is a JSON array", "write one JSON object per line (JSON Lines), not a list")
            return {}
        referenced: dict[str, int] = {}
        seen: set[str] = set()
        lines = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            lines += 1
            self.check_line(number, line, referenced, seen)
        if lines == 0:
            self.error(DATA_FILE, "has no lines", "add one JSON object per sample")
        return referenced

    def check_line(self, number: int, line: str, referenced: dict[str, int], seen: set[str]) -> None:
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            self.error(DATA_FILE, f"is not valid JSON ({exc.msg})", "fix the quoting/commas of this line", line=number)
            return
        if not isinstance(record, dict):
            self.error(DATA_FILE, "is not a JSON object", 'write {"prompt": "...", ...} on this line', line=number)
            return
        if line in seen:
            self.warn(DATA_FILE, "duplicates an earlier line", "remove the duplicate", line=number)
        seen.add(line)
        required = _required_keys(self.gen, self.role)
        for key in required:
            value = record.get(key)
            if value is None:
                self.error(
                    DATA_FILE,
                    f"has no '{key}'",
                    f'add "{key}" ({self.role} {self.gen} lines need {", ".join(required)})',
                    line=number,
                    key=key,
                )
            elif not isinstance(value, str) or not value.strip():
                self.error(
                    DATA_FILE, f"'{key}' is empty or not text", f"give '{key}' a non-empty string", line=number, key=key
                )
        if self.role == "validation" and "img_path" in record:
            self.error(
                DATA_FILE,
                "validation lines must not have 'img_path'",
                "remove img_path: validation sets hold prompts (and input_img for i2i) only",
                line=number,
                key="img_path",
            )
        if self.gen == "t2i" and "input_img" in record:
            self.error(
                DATA_FILE,
                "'input_img' in a t2i dataset",
                "remove it, or declare generation_type='i2i'",
                line=number,
                key="input_img",
            )
        self.check_references(number, record, required, referenced)

    def check_references(
        self, number: int, record: dict[str, Any], required: tuple[str, ...], referenced: dict[str, int]
    ) -> None:
        for key in ("img_path", "input_img"):
            ref = record.get(key)
            if not isinstance(ref, str) or not ref.strip() or key not in required:
                continue
            name = _normalize(ref)
            if name is None:
                self.error(
                    DATA_FILE,
                    f"{key} '{ref}' points outside the dataset folder or into a sub-folder",
                    "reference images at the top level, like './1_0.png'",
                    line=number,
                    key=key,
                )
            elif name not in self.files:
                self.error(
                    DATA_FILE,
                    f"{key} '{ref}' does not exist in the dataset",
                    "add the image or remove the line",
                    line=number,
                    key=key,
                )
            else:
                referenced.setdefault(name, number)

    def check_images(self, referenced: dict[str, int]) -> None:
        for name, entry in self.files.items():
            suffix = Path(name).suffix.lower()
            if name == DATA_FILE:
                continue
            if suffix not in IMAGE_EXTENSIONS:
                self.error(
                    name,
                    f"'{suffix or name}' is not an accepted file type",
                    "keep only data.jsonl and PNG/JPG/JPEG/WEBP/BMP images",
                )
                continue
            if name not in referenced:
                self.warn(name, f"is not referenced by {DATA_FILE}", "reference it or remove it")
            if entry.size > MAX_IMAGE_BYTES:
                self.error(name, f"is {entry.size / 2**20:.1f} MB, over the 20 MB limit", "compress or downscale it")
            self.check_pixels(name)
        self.report.image_count = sum(1 for n in self.files if Path(n).suffix.lower() in IMAGE_EXTENSIONS)
        if self.role == "training" and len(referenced) < RECOMMENDED_IMAGES:
            self.warn(
                DATA_FILE,
                f"only {len(referenced)} training images",
                f"add more: at least {RECOMMENDED_IMAGES}, 50+ is better",
            )

    def check_pixels(self, name: str) -> None:
        try:
            with open_entry(self.source, name) as stream, Image.open(stream) as image:
                width, height = image.size
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            self.error(name, f"is not a readable image ({type(exc).__name__})", "re-export it as PNG or JPEG")
            return
        if max(width, height) > MAX_IMAGE_SIDE:
            self.error(
                name,
                f"is {width}x{height}, over {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE}",
                f"downscale it to at most {MAX_IMAGE_SIDE} px per side",
            )


def validate_dataset(source: Path, *, generation_type: GenerationType, role: Role) -> DatasetReport:
    """Every rule checked; all problems collected with the file, line and fix."""
    return _Checker(source, generation_type, role).run()
