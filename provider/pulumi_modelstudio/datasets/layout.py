"""Checks that need only names, sizes and file types: cheap, never cached, run on every preview."""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pulumi_modelstudio.datasets.report import DatasetReport
from pulumi_modelstudio.datasets.rules import (
    DATA_FILE,
    IMAGE_EXTENSIONS,
    MAX_DATA_FILE_BYTES,
    MAX_IMAGE_BYTES,
    MAX_ZIP_BYTES,
    NAME_PATTERN,
)
from pulumi_modelstudio.datasets.source import Entry, scan, source_kind

__all__ = ["Layout", "inspect_layout"]

_KIND_PROBLEMS = {
    "symlink": ("is a symbolic link (links are never followed)", "replace the link with a copy of the file itself"),
    "pipe": ("is a named pipe, not a regular file", "remove it from the dataset"),
    "socket": ("is a socket, not a regular file", "remove it from the dataset"),
    "device": ("is a device, not a regular file", "remove it from the dataset"),
    "other": ("is not a regular file", "remove it from the dataset"),
}
_ACCEPTED = "keep only data.jsonl and PNG/JPG/JPEG/WEBP/BMP images"


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


def _entries(source: Path, report: DatasetReport) -> list[Entry] | None:
    kind = source_kind(source)
    where = str(source)
    if kind is None:
        report.error(where, "no such folder or .zip", "create it or fix the path")
        return None
    if kind not in ("file", "folder"):
        report.error(where, f"is a {kind}, not a folder or a .zip", "point source at the dataset folder or .zip")
        return None
    if kind == "file":
        if source.suffix.lower() != ".zip":
            report.error(source.name, "is neither a folder nor a .zip", "point source at the dataset folder")
            return None
        size = source.stat().st_size
        if size > MAX_ZIP_BYTES:
            report.error(
                source.name, f"zip is {_mb(size)}, over the 1 GB upload limit", "split the dataset or shrink the images"
            )
    try:
        return scan(source)
    except (zipfile.BadZipFile, EOFError, ValueError, RuntimeError):
        report.error(source.name, "is not a readable zip file", "re-create the zip")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        report.error(where, f"cannot be read ({reason})", "check the path and its permissions")
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
            Path(report.source).name,
            f"holds {_mb(report.size_bytes)} of files, over the 1 GB upload limit of the packed zip",
            "split the dataset or shrink the images",
        )


def _sort_entries(layout: Layout, entries: list[Entry]) -> None:
    """Top-level files into `layout.files`; sub-folders, links, duplicates and bad names into its report."""
    report = layout.report
    names = Counter(e.name for e in entries)
    if DATA_FILE not in names:
        report.error(DATA_FILE, "missing", f"add a {DATA_FILE} with one JSON object per line at the top level")
    folders: list[str] = []
    for entry in entries:
        parts = entry.name.split("/")
        if entry.name.startswith("/") or ".." in parts:
            report.error(entry.name, "points outside the dataset", "re-create the zip with paths inside it only")
        elif entry.is_dir or len(parts) > 1:
            if (len(parts) > 1 or not entry.empty) and parts[0] not in folders:
                folders.append(parts[0])
        elif names[entry.name] > 1:
            if entry.name not in layout.refused:
                layout.refused.add(entry.name)
                count = names[entry.name]
                report.error(entry.name, f"appears {count} times in the zip", "re-create the zip with each file once")
        elif _check_entry(entry, report):
            layout.files[entry.name] = entry
        elif _unreadable(entry) is not None:
            layout.refused.add(entry.name)
    for top in folders:
        report.error(
            f"{top}/",
            "sub-folders are not allowed (the dataset must be flat)",
            f"move the files of '{top}/' to the top level and fix their paths in {DATA_FILE}",
        )


def inspect_layout(source: Path) -> Layout:
    """Names, file types, zip structure and sizes; opens nothing but a zip's directory."""
    layout = Layout(DatasetReport(str(source)))
    report = layout.report
    entries = _entries(source, report)
    if entries is None:
        return layout
    _sort_entries(layout, entries)
    by_case: dict[str, str] = {}
    for name in sorted(layout.files):
        first = by_case.setdefault(name.lower(), name)
        if first != name:
            report.error(name, f"differs from '{first}' only by upper/lower case", "give each file a distinct name")
    report.size_bytes = sum(e.size for e in layout.files.values())
    report.image_count = sum(1 for n in layout.files if Path(n).suffix.lower() in IMAGE_EXTENSIONS)
    _check_sizes(layout)
    return layout
