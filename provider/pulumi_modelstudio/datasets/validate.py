"""Check a dataset folder or zip against every documented rule, collecting all problems with fixes."""

from __future__ import annotations

import json
import posixpath
import warnings
import zipfile
from pathlib import Path
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError

from pulumi_modelstudio.core.finite import non_finite_paths
from pulumi_modelstudio.datasets.layout import inspect_layout
from pulumi_modelstudio.datasets.report import DatasetReport, Problem
from pulumi_modelstudio.datasets.rules import (
    DATA_FILE,
    EXTENSION_FORMATS,
    IMAGE_FORMATS,
    MAX_DATA_FILE_BYTES,
    MAX_IMAGE_SIDE,
    RECOMMENDED_IMAGES,
)
from pulumi_modelstudio.datasets.source import Entry, open_entry

__all__ = ["DatasetReport", "GenerationType", "Problem", "Role", "validate_dataset"]

GenerationType = Literal["t2i", "i2i"]
Role = Literal["training", "validation"]

_BOM = b"\xef\xbb\xbf"
_MAGIC = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"%PDF", "PDF"),
    (b"<svg", "SVG"),
    (b"<?xml", "XML/SVG"),
    (b"8BPS", "PSD"),
)
_TOP_LEVEL_FIX = "keep the images at the top level and reference them like './1_0.png'"
_READ_ERRORS = (OSError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError)


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


def _not_top_level(key: str, ref: str) -> str:
    """Why a reference that is not a top-level file is refused, naming the entry and where it points."""
    cleaned = posixpath.normpath(ref.replace("\\", "/"))
    if cleaned.startswith(("../", "/")) or cleaned == "..":
        return f"{key} '{ref}' points outside the dataset folder"
    return f"{key} '{ref}' points into the sub-folder '{cleaned.split('/')[0]}/' (the dataset must be flat)"


def _sniff(head: bytes) -> str:
    """A readable name for content Pillow is not allowed to open."""
    return next((name for magic, name in _MAGIC if head.startswith(magic)), "")


class _Checker:
    def __init__(self, source: Path, generation_type: GenerationType, role: Role) -> None:
        self.source = source
        self.gen = generation_type
        self.role = role
        self.report = DatasetReport(str(source))
        self.files: dict[str, Entry] = {}
        self.refused: set[str] = set()
        self.reported: set[tuple[int, str]] = set()

    def error(self, file: str, message: str, fix: str, *, line: int | None = None, key: str | None = None) -> None:
        self.report.error(file, message, fix, line=line, key=key)

    def warn(self, file: str, message: str, fix: str, *, line: int | None = None) -> None:
        self.report.warn(file, message, fix, line=line)

    def run(self) -> DatasetReport:
        layout = inspect_layout(self.source)
        self.report = layout.report
        self.files = layout.files
        self.refused = layout.refused
        self.reported = layout.reported_references
        if DATA_FILE not in self.files:
            return self.report
        referenced = self.check_data_file()
        self.check_images(referenced)
        return self.report

    def read_data_file(self) -> bytes | None:
        try:
            with open_entry(self.source, DATA_FILE) as stream:
                return stream.read(MAX_DATA_FILE_BYTES + 1)
        except _READ_ERRORS as exc:
            self.error(DATA_FILE, f"cannot be read ({exc})", "check the file and its permissions")
            return None

    def check_data_file(self) -> dict[str, int]:
        """Parse data.jsonl; return referenced image -> first line number."""
        raw = self.read_data_file()
        if raw is None or len(raw) > MAX_DATA_FILE_BYTES:
            return {}
        if raw.startswith(_BOM):
            self.error(
                DATA_FILE,
                "starts with a UTF-8 byte-order mark (BOM)",
                "save it as UTF-8 without BOM (the service reads the first line as JSON)",
                line=1,
            )
            return {}
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.error(DATA_FILE, "is not UTF-8 text", "save it as UTF-8")
            return {}
        if text.lstrip().startswith("["):
            self.error(DATA_FILE, "is a JSON array", "write one JSON object per line (JSON Lines), not a list")
            return {}
        referenced: dict[str, int] = {}
        seen: set[str] = set()
        lines = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            lines += 1
            self.check_line(number, line.removesuffix("\r"), referenced, seen)
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
        for path, shown in non_finite_paths(record):
            self.error(
                DATA_FILE,
                f"'{path}' is {shown}, which is not valid JSON (the service cannot read the line)",
                f"write a finite number for '{path}' or remove it",
                line=number,
                key=path,
            )
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
            if not isinstance(ref, str) or not ref.strip() or key not in required or (number, key) in self.reported:
                continue
            name = _normalize(ref)
            if name is None:
                self.error(DATA_FILE, _not_top_level(key, ref), _TOP_LEVEL_FIX, line=number, key=key)
            elif name in self.refused:
                continue  # already reported: a link, pipe, duplicate or encrypted entry
            elif name not in self.files or name == DATA_FILE:
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
        for name in self.files:
            if name == DATA_FILE:
                continue
            if name not in referenced:
                self.warn(name, f"is not referenced by {DATA_FILE}", "reference it or remove it")
            self.check_pixels(name)
        if self.role == "training" and len(referenced) < RECOMMENDED_IMAGES:
            self.warn(
                DATA_FILE,
                f"only {len(referenced)} training images",
                f"add more: at least {RECOMMENDED_IMAGES}, 50+ is better",
            )

    def check_pixels(self, name: str) -> None:
        """Decide the format by content, refuse decompression bombs, and check the size; never decode pixels."""
        fix = "re-export it as PNG, JPEG, WEBP or BMP"
        head = b""
        try:
            with open_entry(self.source, name) as stream, warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                head = stream.read(16)
                stream.seek(0)
                with Image.open(stream, formats=IMAGE_FORMATS) as image:
                    width, height = image.size
                    found = str(image.format)
                    image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            self.error(
                name,
                f"declares far more pixels than {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE} (a decompression bomb)",
                f"downscale it to at most {MAX_IMAGE_SIDE} px per side",
            )
            return
        except UnidentifiedImageError:
            other = _sniff(head)
            what = f"is {other} data, not an accepted image format" if other else "is not a readable image"
            self.error(name, what, fix)
            return
        except (*_READ_ERRORS, SyntaxError, ValueError) as exc:
            self.error(name, f"is not a readable image ({type(exc).__name__})", fix)
            return
        if max(width, height) > MAX_IMAGE_SIDE:
            self.error(
                name,
                f"is {width}x{height}, over {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE}",
                f"downscale it to at most {MAX_IMAGE_SIDE} px per side",
            )
        named = EXTENSION_FORMATS.get(Path(name).suffix.lower())
        if named != found:
            self.warn(name, f"holds {found} data but its extension says {named}", "rename it to match its format")


def validate_dataset(source: Path, *, generation_type: GenerationType, role: Role) -> DatasetReport:
    """Every rule checked; all problems collected with the file, line and fix."""
    return _Checker(source, generation_type, role).run()
