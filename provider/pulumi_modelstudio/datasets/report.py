"""What a dataset check found: each broken rule with the file, line and fix."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulumi_modelstudio.errors import DatasetError

__all__ = ["DatasetReport", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One broken rule: where, what, and how to fix it."""

    file: str
    message: str
    fix: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        """`data.jsonl line 7: img_path './7.png' does not exist — add the image or remove the line`.

        A problem with the folder or .zip itself has no file: whoever shows it names the path once.
        """
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}: {self.message} — {self.fix}" if where else f"{self.message} — {self.fix}"


@dataclass
class DatasetReport:
    """Result of a validation."""

    source: str
    image_count: int = 0
    size_bytes: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, file: str, message: str, fix: str, *, line: int | None = None, key: str | None = None) -> None:
        """Record a broken rule."""
        self.errors.append(Problem(file, message, fix, line, key))

    def warn(self, file: str, message: str, fix: str, *, line: int | None = None) -> None:
        """Record advice that does not stop training."""
        self.warnings.append(Problem(file, message, fix, line))

    def raise_for_errors(self) -> None:
        """Raise DatasetError naming every problem."""
        if self.errors:
            problems = [str(p) for p in self.errors]
            msg = f"dataset {self.source} breaks {len(problems)} rule(s):\n  " + "\n  ".join(problems)
            raise DatasetError(msg, path=self.source, problems=problems)
