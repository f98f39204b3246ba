"""`modelstudio preview-summary`: a pull-request comment from `pulumi preview --json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from provider.cli._common import console, fail

JOB = "FineTuneJob"
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
}


def _type(step: dict[str, Any]) -> str:
    urn = str(step.get("urn", ""))
    parts = urn.split("::")
    kind = parts[2] if len(parts) > 3 else str(step.get("type", ""))
    return kind.split("$")[-1].rsplit(":", 1)[-1]


def _cost(state: dict[str, Any] | None) -> float:
    if not state:
        return 0.0
    for key in ("outputs", "inputs"):
        value = (state.get(key) or {}).get("estimated_cost_cny")
        if isinstance(value, int | float):
            return float(value)
    return 0.0


def summarize(preview: dict[str, Any]) -> str:
    """Markdown: what changes, and what the training it starts will cost."""
    rows, before, after, training = [], 0.0, 0.0, []
    for step in preview.get("steps", []):
        op = OPS.get(str(step.get("op")), str(step.get("op")))
        kind = _type(step)
        old, new = step.get("oldState"), step.get("newState")
        if kind == JOB:
            before += _cost(old) if op in ("replace", "delete") else 0.0
            after += _cost(new) if op in ("create", "replace") else 0.0
            if op in ("create", "replace"):
                training.append(str(step.get("urn", "")).rsplit("::", 1)[-1])
        if op is None:
            continue
        name = str(step.get("urn", "")).rsplit("::", 1)[-1]
        cost = f"{_cost(new):,.2f}" if kind == JOB and op != "delete" else ""
        rows.append(f"| {name} | {kind} | {op} | {cost} |")
    lines = ["### Model Studio changes", ""]
    if training:
        lines += [f"> **This change starts paid training:** {', '.join(training)} (estimated {after:,.2f} CNY).", ""]
    if not rows:
        return "\n".join([*lines, "No changes."])
    lines += ["| resource | type | change | estimated training CNY |", "|---|---|---|---|", *rows, ""]
    lines.append(f"Training cost of this change: {after:,.2f} CNY (replaced runs had cost {before:,.2f} CNY).")
    return "\n".join(lines)


def preview_summary(
    preview_json: Annotated[Path, typer.Argument(help="output of `pulumi preview --json`")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the Markdown here")] = None,
) -> None:
    """Turn `pulumi preview --json` into a Markdown pull-request comment with training cost deltas."""
    try:
        preview = json.loads(preview_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(
            f"{preview_json}: not readable preview JSON ({exc}); run `pulumi preview --json > file`", 2
        ) from None
    markdown = summarize(preview)
    if output:
        output.write_text(markdown + "\n", encoding="utf-8")
    else:
        console.print(markdown, markup=False, highlight=False)
