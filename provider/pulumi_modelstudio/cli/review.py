"""`modelstudio preview-summary`: a pull-request comment from `pulumi preview --json`."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from pulumi_modelstudio.cli._common import fail
from pulumi_modelstudio.cli.field_changes import field_changes

JOB = "FineTuneJob"
WAITING = "WAITING_FOR_TRAINING"
OPS = {
    "create": "create",
    "update": "update in place",
    "replace": "replace",
    "create-replacement": "replace",
    "delete": "delete",
    "delete-replaced": None,
    "same": None,
    "read": None,
    "refresh": None,
    "discard": None,
    "discard-replaced": None,
    "remove-pending-replace": None,
    "import": "import",
    "import-replacement": "replace",
}
_PROGRESS = re.compile(r"^job (?P<job>\S+): (?P<detail>.+)$")
_ENGINE_PREFIX = re.compile(r"^error: ")


class PreviewFailedError(ValueError):
    """The preview did not complete: its errors, to show instead of a summary."""

    def __init__(self, problems: list[str]) -> None:
        """Keep every problem."""
        super().__init__("\n".join(problems))
        self.problems = problems


def _type(step: dict[str, Any]) -> str:
    urn = str(step.get("urn", ""))
    parts = urn.split("::")
    kind = parts[2] if len(parts) > 3 else str(step.get("type", ""))
    return kind.split("$")[-1].rsplit(":", 1)[-1]


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _props(state: dict[str, Any] | None, key: str) -> dict[str, Any]:
    value = (state or {}).get(key)
    return value if isinstance(value, dict) else {}


def _cost(state: dict[str, Any] | None) -> float:
    for key in ("outputs", "inputs"):
        value = _props(state, key).get("estimated_cost_cny")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return 0.0


@dataclass
class Summary:
    """What a preview plans, grouped for a reviewer."""

    rows: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    new_cost: float = 0.0
    replaced_cost: float = 0.0
    waiting: dict[str, str] = field(default_factory=dict)
    completing: list[str] = field(default_factory=list)
    changes: list[tuple[str, list[str]]] = field(default_factory=list)
    """Per changed resource (`name (type, change)`), its field-level changes as Markdown list items."""


def _problems(preview: dict[str, Any]) -> list[str]:
    """Errors and mandatory policy violations that make the preview a failure."""
    problems = []
    for diagnostic in preview.get("diagnostics") or []:
        if diagnostic.get("severity") == "error":
            text = _ENGINE_PREFIX.sub("", str(diagnostic.get("message", "")).strip()).replace("\n", "\n  ")
            where = _name(str(diagnostic.get("urn") or ""))
            if text and "Resource monitor has terminated" not in text:
                problems.append(f"{where}: {text}" if where else text)
    for event in preview.get("policyEvents") or []:
        if event.get("enforcementLevel") == "mandatory":
            where = _name(str(event.get("resourceUrn") or ""))
            text = f"policy {event.get('policyName')}: {str(event.get('message', '')).strip()}"
            problems.append(f"{where}: {text}" if where else text)
    return problems


def _reasons(step: dict[str, Any], op: str) -> str:
    """The declared fields behind a replacement or an update, e.g. `hyper_parameters`."""
    key = "replaceReasons" if op == "replace" else "diffReasons"
    fields = [str(f) for f in step.get(key) or [] if f != "__provider"]
    return ", ".join(fields)


def _declared(step: dict[str, Any], op: str) -> list[str]:
    """The declared fields the provider reported as changed (a replacement's and any in-place ones)."""
    keys = ("replaceReasons", "diffReasons") if op == "replace" else ("diffReasons",)
    return [str(f) for key in keys for f in step.get(key) or [] if f != "__provider"]


def _changes(step: dict[str, Any], kind: str, op: str) -> list[str]:
    """Markdown lines: each changed field `path: before -> after` of a change in place or a replacement, and a
    job's training cost before and after."""
    if op not in ("update in place", "replace"):
        return []
    old, new = step.get("oldState"), step.get("newState")
    detailed = step.get("detailedDiff")
    fields = field_changes(
        _declared(step, op),
        _props(old, "inputs"),
        _props(new, "inputs"),
        detailed if isinstance(detailed, dict) else None,
    )
    lines = [_code(change) for change in fields]
    if kind == JOB and (_cost(old) or _cost(new)) and _cost(old) != _cost(new):
        lines.append(f"estimated training cost: {_cost(old):,.2f} -> {_cost(new):,.2f} CNY")
    return lines


def _explain(step: dict[str, Any], kind: str, op: str) -> str:
    """Why, in a reviewer's words, for the cases the field name alone does not say."""
    old = step.get("oldState")
    status = _props(old, "outputs").get("status")
    if status == WAITING and op == "replace":
        return "training finished: the real one is made now"
    if kind == JOB and op == "replace" and status in ("FAILED", "CANCELED"):
        return f"the last job ended {status}: trains again"
    if kind == JOB and op == "update" and status not in (None, "SUCCEEDED", "FAILED", "CANCELED"):
        return f"waits for the job ({status}) to finish"
    return ""


def collect(preview: dict[str, Any]) -> Summary:
    """Group a preview's steps and diagnostics; raises PreviewFailedError when the preview failed."""
    if not isinstance(preview.get("steps"), list):
        msg = "this is not the output of `pulumi preview --json` (no steps)"
        raise PreviewFailedError([msg, *_problems(preview)])
    problems = _problems(preview)
    if problems:
        raise PreviewFailedError(problems)
    summary = Summary()
    for step in preview["steps"]:
        op = OPS.get(str(step.get("op")), str(step.get("op")))
        kind, name = _type(step), _name(str(step.get("urn", "")))
        old, new = step.get("oldState"), step.get("newState")
        if kind == JOB and op in ("create", "replace"):
            summary.new_cost += _cost(new)
            summary.starts.append(name)
        if kind == JOB and op in ("replace", "delete"):
            summary.replaced_cost += _cost(old)
        if op is None:
            continue
        if _props(old, "outputs").get("status") == WAITING and op == "replace":
            summary.completing.append(name)
        why = ", ".join(part for part in (_reasons(step, op), _explain(step, kind, op)) if part)
        cost = f"{_cost(new):,.2f}" if kind == JOB and op in ("create", "replace") else ""
        summary.rows.append(f"| {name} | {kind} | {op} | {why} | {cost} |")
        changes = _changes(step, kind, op)
        if changes:
            summary.changes.append((f"{name} ({kind}, {op})", changes))
    for diagnostic in preview.get("diagnostics") or []:
        urn = str(diagnostic.get("urn") or "")
        found = _PROGRESS.match(str(diagnostic.get("message", "")).strip())
        if found and f":{JOB}::" in urn:
            summary.waiting[_name(urn)] = f"{found['job']}: {found['detail']}"
    for name in summary.starts:
        summary.waiting.pop(name, None)
    return summary


def summarize(preview: dict[str, Any]) -> str:
    """Markdown: what changes and why, what is waiting on training, and what new training costs."""
    summary = collect(preview)
    lines = ["### Model Studio changes", ""]
    if summary.starts:
        lines += [
            f"> **This change starts paid training:** {', '.join(summary.starts)} "
            f"(estimated {summary.new_cost:,.2f} CNY).",
            "",
        ]
    if summary.rows:
        lines += ["| resource | type | change | why | estimated training CNY |", "|---|---|---|---|---|"]
        lines += [*summary.rows, ""]
        lines.append(
            f"Training cost of this change: {summary.new_cost:,.2f} CNY "
            f"(replaced runs had cost {summary.replaced_cost:,.2f} CNY)."
        )
    else:
        lines.append("No changes.")
    if summary.changes:
        lines += ["", "#### What changes", ""]
        for resource, changes in summary.changes:
            lines += [f"**{resource}**", "", *(f"- {change}" for change in changes), ""]
        lines.pop()
    if summary.waiting:
        lines += ["", "#### Waiting on training", "", "| job | status |", "|---|---|"]
        lines += [f"| {name} | {detail} |" for name, detail in sorted(summary.waiting.items())]
        lines += ["", "Export and deployment of these models follow in the run that sees the job finish."]
    return "\n".join(lines)


def _code(text: str) -> str:
    """Markdown code span that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _read(source: str) -> dict[str, Any]:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        msg = "expected a JSON object"
        raise TypeError(msg)
    return data


def preview_summary(
    preview_json: Annotated[str, typer.Argument(help="output of `pulumi preview --json`, or - for stdin")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the Markdown here")] = None,
) -> None:
    """Turn `pulumi preview --json` into a Markdown pull-request comment; exit 1 when the preview failed."""
    try:
        preview = _read(preview_json)
    except (OSError, ValueError, TypeError) as exc:
        where = "stdin" if preview_json == "-" else preview_json
        raise fail(f"{where}: not readable preview JSON ({exc}); run `pulumi preview --json > file`", 2) from None
    try:
        markdown = summarize(preview)
    except PreviewFailedError as exc:
        markdown = "\n".join(
            ["### Model Studio changes", "", "**The preview failed:**", "", *(f"- {p}" for p in exc.problems)]
        )
        if output:
            output.write_text(markdown + "\n", encoding="utf-8")
        sys.stderr.write("error: the preview failed:\n  " + "\n  ".join(exc.problems) + "\n")
        raise typer.Exit(1) from None
    if output:
        output.write_text(markdown + "\n", encoding="utf-8")
    else:
        sys.stdout.write(markdown + "\n")
