"""Checks that need only names, sizes and file types: cheap, never cached, run on every preview.

data.jsonl is read here only when the dataset has a sub-folder, to name the lines whose images are inside it.
"""

from __future__ import annotations

import json
import posixpath
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_modelstudio.datasets.report import DatasetReport
from pulumi_modelstudio.datasets.rules import (
    DATA_FILE,
    IMAGE_EXTENSIONS,
    MAX_DATA_FILE_BYTES,
    MAX_IMAGE_BYTES,
    MAX_ZIP_BYTES,
    NAME_PATTERN,
)
from pulumi_modelstudio.datasets.source import Entry, open_entry, scan, source_kind
from pulumi_modelstudio.datasets.suggest import nearest_source, shown_path

__all__ = ["SOURCE", "Layout", "inspect_layout"]

SOURCE = ""
"""The file of a problem with the dataset folder or .zip itself: the path is shown once, by whoever reports it."""

_KIND_PROBLEMS = {
    "symlink": ("is a symbolic link (links are never followed)", "replace the link with a copy of the file itself"),
    "pipe": ("is a named pipe, not a regular file", "remove it from the dataset"),
    "socket": ("is a socket, not a regular file", "remove it from the dataset"),
    "device": ("is a device, not a regular file", "remove it from the dataset"),
    "other": ("is not a regular file", "remove it from the dataset"),
}
_ACCEPTED = "keep only data.jsonl and PNG/JPG/JPEG/WEBP/BMP images"
_NAMED_ENTRIES = 3
"""Entries of a sub-folder named in its problem; the rest are counted."""
_REFERENCE_KEYS = ("img_path", "input_img")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


@dataclass
class Layout:
    """The layout problems found and the top-level regular files, by name."""

    report: DatasetReport
    files: dict[str, Entry] = field(default_factory=dict)
    """Top-level regular files of an accepted type."""
    refused: set[str] = field(default_factory=set)
    """Top-level names already reported as unreadable (links, pipes, duplicates, encrypted entries)."""
    folders: set[str] = field(default_factory=set)
    """Sub-folders found (reported: the dataset must be flat)."""
    reported_references: set[tuple[int, str]] = field(default_factory=set)
    """(line, key) of data.jsonl references into a sub-folder, already reported naming the entry."""


def _missing(source: Path) -> str:
    """The fix for a source that does not exist: the nearest existing folder or .zip when one is close."""
    nearest = nearest_source(source)
    if nearest is None:
        return "create it or fix the path"
    return f"did you mean {shown_path(nearest)}? Fix the path"


def _entries(source: Path, report: DatasetReport) -> list[Entry] | None:
    """Every entry of the source; problems with the source itself are reported without a file (it is the source)."""
    kind = source_kind(source)
    if kind is None:
        report.error(SOURCE, "no such folder or .zip", _missing(source))
        return None
    if kind not in ("file", "folder"):
        report.error(SOURCE, f"is a {kind}, not a folder or a .zip", "point source at the dataset folder or .zip")
        return None
    if kind == "file":
        if source.suffix.lower() != ".zip":
            report.error(SOURCE, "is neither a folder nor a .zip", "point source at the dataset folder")
            return None
        size = source.stat().st_size
        if size > MAX_ZIP_BYTES:
            report.error(
                SOURCE, f"zip is {_mb(size)}, over the 1 GB upload limit", "split the dataset or shrink the images"
            )
    try:
        return scan(source)
    except (zipfile.BadZipFile, EOFError, ValueError, RuntimeError):
        report.error(SOURCE, "is not a readable zip file", "re-create the zip")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        report.error(SOURCE, f"cannot be read ({reason})", "check the path and its permissions")
    return None


def _unreadable(entry: Entry) -> tuple[str, str] | None:
    """(problem, fix) when the entry is not a regular file that can be read."""
    if entry.kind in _KIND_PROBLEMS:
        return _KIND_PROBLEMS[entry.kind]
    if entry.encrypted:
        return "is encrypted in the zip", "re-create the zip without a password"
    if not entry.compression_ok:
        return "uses a zip compression method that cannot be read", "re-create the zip (deflate or store)"
    return None


def _check_entry(entry: Entry, report: DatasetReport) -> bool:
    """Whether the entry is a regular, readable top-level file of an accepted type (its name is checked too)."""
    name = entry.name
    unreadable = _unreadable(entry)
    if unreadable is not None:
        report.error(name, *unreadable)
        return False
    if name.lower() == DATA_FILE:
        if name != DATA_FILE:
            report.error(name, f"must be named exactly {DATA_FILE}", f"rename it to {DATA_FILE}")
        return name == DATA_FILE
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_EXTENSIONS:
        report.error(name, f"'{suffix or name}' is not an accepted file type", _ACCEPTED)
        return False
    if not NAME_PATTERN.fullmatch(name):
        report.error(
            name,
            "file name may hold only English letters, digits, '_' and '-' before the extension",
            f"rename it (e.g. 12_0{suffix}) and fix its path in {DATA_FILE}",
        )
    return True


def _check_sizes(layout: Layout) -> None:
    report = layout.report
    for name, entry in layout.files.items():
        limit = MAX_DATA_FILE_BYTES if name == DATA_FILE else MAX_IMAGE_BYTES
        if entry.size > limit:
            fix = "shorten the prompts or split the dataset" if name == DATA_FILE else "compress or downscale it"
            report.error(name, f"is {_mb(entry.size)}, over the 20 MB limit", fix)
    if report.size_bytes > MAX_ZIP_BYTES:
        report.error(
            SOURCE,
            f"holds {_mb(report.size_bytes)} of files, over the 1 GB upload limit of the packed zip",
            "split the dataset or shrink the images",
        )


def _sort_entries(layout: Layout, entries: list[Entry]) -> None:
    """Top-level files into `layout.files`; sub-folders, links, duplicates and bad names into its report."""
    report = layout.report
    names = Counter(e.name for e in entries)
    if DATA_FILE not in names:
        report.error(DATA_FILE, "missing", f"add a {DATA_FILE} with one JSON object per line at the top level")
    folders: dict[str, list[str]] = {}
    for entry in entries:
        parts = entry.name.split("/")
        if entry.name.startswith("/") or ".." in parts:
            report.error(entry.name, "points outside the dataset", "re-create the zip with paths inside it only")
        elif entry.is_dir or len(parts) > 1:
            if len(parts) > 1 or not entry.empty:
                inside = folders.setdefault(parts[0], [])
                inside += [*entry.children, *([entry.name] if len(parts) > 1 and not entry.is_dir else [])]
        elif names[entry.name] > 1:
            if entry.name not in layout.refused:
                layout.refused.add(entry.name)
                count = names[entry.name]
                report.error(entry.name, f"appears {count} times in the zip", "re-create the zip with each file once")
        elif _check_entry(entry, report):
            layout.files[entry.name] = entry
        elif _unreadable(entry) is not None:
            layout.refused.add(entry.name)
    for top, inside in folders.items():
        report.error(
            f"{top}/",
            f"sub-folders are not allowed (the dataset must be flat){_holding(inside)}",
            f"move the files of '{top}/' to the top level and fix their paths in {DATA_FILE}",
        )
    layout.folders = set(folders)


def _holding(names: list[str]) -> str:
    """`: it holds sub/0_0.png, sub/1_0.png and 3 more` (nothing when the names are unknown)."""
    if not names:
        return ""
    shown = ", ".join(names[:_NAMED_ENTRIES])
    more = len(names) - _NAMED_ENTRIES
    return f": it holds {shown}" + (f" and {more} more" if more > 0 else "")


def _data_lines(source: Path) -> list[str]:
    """The lines of data.jsonl, or none when it cannot be read as UTF-8 (the content check reports why)."""
    try:
        with open_entry(source, DATA_FILE) as stream:
            raw = stream.read(MAX_DATA_FILE_BYTES + 1)
        return raw.decode("utf-8-sig").split("\n") if len(raw) <= MAX_DATA_FILE_BYTES else []
    except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, UnicodeDecodeError):
        return []


def _references_into_folders(source: Path, layout: Layout) -> None:
    """Name each data.jsonl line whose image is inside a sub-folder: the entry, not only the folder."""
    for number, line in enumerate(_data_lines(source), start=1):
        try:
            record: Any = json.loads(line)
        except ValueError:
            continue  # reported by the content check
        if not isinstance(record, dict):
            continue
        for key in _REFERENCE_KEYS:
            ref = record.get(key)
            if not isinstance(ref, str):
                continue
            cleaned = posixpath.normpath(ref.replace("\\", "/"))
            top, _, rest = cleaned.partition("/")
            if rest and top in layout.folders:
                layout.reported_references.add((number, key))
                layout.report.error(
                    DATA_FILE,
                    f"{key} '{ref}' is inside the sub-folder '{top}/' (the dataset must be flat)",
                    f"move {cleaned} to the top level and write './{posixpath.basename(cleaned)}'",
                    line=number,
                    key=key,
                )


def inspect_layout(source: Path) -> Layout:
    """Names, file types, zip structure and sizes; opens nothing but a zip's directory (and data.jsonl when
    there is a sub-folder, to name the lines that point into it)."""
    layout = Layout(DatasetReport(str(source)))
    report = layout.report
    entries = _entries(source, report)
    if entries is None:
        return layout
    _sort_entries(layout, entries)
    if layout.folders and DATA_FILE in layout.files:
        _references_into_folders(source, layout)
    by_case: dict[str, str] = {}
    for name in sorted(layout.files):
        first = by_case.setdefault(name.lower(), name)
        if first != name:
            report.error(name, f"differs from '{first}' only by upper/lower case", "give each file a distinct name")
    report.size_bytes = sum(e.size for e in layout.files.values())
    report.image_count = sum(1 for n in layout.files if Path(n).suffix.lower() in IMAGE_EXTENSIONS)
    _check_sizes(layout)
    return layout
