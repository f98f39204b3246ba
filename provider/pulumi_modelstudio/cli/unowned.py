"""`modelstudio unowned`: the account's files, jobs, exports and deployments no stack manages, as declarations."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pulumi_modelstudio.cli._common import client_or_exit, connection_options, fail
from pulumi_modelstudio.cli._stacks import OUR_TYPES, PACKAGE_TYPES, StackInventory, StacksUnreadableError, read_stacks
from pulumi_modelstudio.cli._style import Style, declaration_style
from pulumi_modelstudio.core.adoption import deployment_inputs, export_inputs, job_inputs
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.wan.hyperparams import hyperparameter_problems
from pulumi_modelstudio.wan.models import SUPPORTED_BASE_MODELS

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient

__all__ = ["Unowned", "find_unowned", "render_python", "unowned"]

_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_STYLES = ("auto", "dynamic", "package")


@dataclass
class Unowned:
    """One object of the account that no stack manages, and how to adopt it."""

    kind: str
    """file, job, export or deployment."""
    id: str
    """The id `import_` takes."""
    summary: str
    resource: str | None = None
    """The resource class that adopts it; None when it cannot be adopted."""
    name: str | None = None
    """A suggested resource name."""
    inputs: dict[str, Any] | None = None
    note: str | None = None
    used_by: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    """Output name -> value, so later declarations can reference the adopted resource instead of the value."""

    @property
    def import_command(self) -> str | None:
        """The `pulumi import` line for the dynamic resource type."""
        return self.import_line("dynamic")

    def import_line(self, style: Style) -> str | None:
        """The `pulumi import` line that adopts it without a program change (declare it afterwards)."""
        if self.resource is None or self.name is None:
            return None
        kind = shlex.quote(f"{PACKAGE_TYPES if style == 'package' else OUR_TYPES}{self.resource}")
        name, ident = shlex.quote(self.name), shlex.quote(self.id)
        return f"pulumi import {kind} {name} {ident} --generate-code=false --protect=false"

    @property
    def variable(self) -> str:
        """A Python variable name for the declared resource."""
        text = re.sub(r"[^A-Za-z0-9_]+", "_", self.name or self.kind).strip("_").lower() or self.kind
        return f"{self.kind}_{text}" if text[0].isdigit() else text

    def declaration(self, refs: dict[str, str] | None = None, style: Style = "dynamic") -> str | None:
        """The Python declaration with `import_`; values in `refs` become references to earlier declarations.

        References keep Pulumi's dependency order: a deployment is deleted before the export and the job it
        serves, as in a `LoraModel`. The `package` style declares `modelstudio.<Type>` (`modelstudio_lora`).
        """
        if self.resource is None or self.inputs is None:
            return None
        refs = refs or {}

        def value(item: object) -> str:
            return refs[item] if isinstance(item, str) and item in refs else _py(item)

        cls = f"modelstudio.{self.resource}" if style == "package" else self.resource
        lines = [f"{cls}(", f"    {_py(self.name)},"]
        for key, item in self.inputs.items():
            shown = "[" + ", ".join(value(v) for v in item) + "]" if isinstance(item, list) else value(item)
            lines.append(f"    {key}={shown},")
        lines += [f"    opts=pulumi.ResourceOptions(import_={_py(self.id)}),", ")"]
        return "\n".join(lines)

    def as_json(self, style: Style = "dynamic") -> dict[str, Any]:
        """Everything, plus the declaration and the import command in `style`."""
        return {
            **asdict(self),
            "style": style,
            "declaration": self.declaration(style=style),
            "import_command": self.import_line(style),
        }


def _py(value: object) -> str:
    """A Python literal (double-quoted strings, as the formatter writes them)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py(k)}: {_py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _files(client: ModelStudioClient, stacks: StackInventory) -> list[Unowned]:
    found = []
    for item in client.files.iter_all():
        if stacks.owns("file", item.file_id):
            continue
        size = f"{item.size} bytes" if item.size is not None else "size unknown"
        found.append(
            Unowned(
                kind="file",
                id=item.file_id,
                summary=f"{item.name or 'unnamed'}, {size}, uploaded {item.gmt_create or 'at an unknown time'}",
                note="files are used by id (training_file_ids / validation_file_ids), not adopted",
                used_by=stacks.used_by(item.file_id),
            )
        )
    return found


def _jobs_and_exports(client: ModelStudioClient, stacks: StackInventory) -> list[Unowned]:
    found = []
    for job in client.fine_tunes.iter_all():
        if not stacks.owns("job", job.job_id):
            found.append(_job(job, stacks))
        for saved in client.fine_tunes.checkpoints(job.job_id):
            export_id = f"{job.job_id}:{saved.checkpoint}"
            if saved.status != "SUCCEEDED" or not saved.model_name:
                continue
            if stacks.owns("export", export_id) or stacks.owns("model", saved.model_name):
                continue
            inputs = export_inputs(job.job_id, saved.checkpoint, saved.model_display_name)
            inputs.setdefault("model_name", re.sub(r"[^A-Za-z0-9_-]+", "-", saved.model_name)[:64])
            found.append(
                Unowned(
                    kind="export",
                    id=export_id,
                    summary=f"{saved.checkpoint} of {job.job_id} exported as {saved.model_name}",
                    resource="CheckpointExport",
                    name=_name(saved.model_display_name or export_id),
                    inputs=inputs,
                    used_by=stacks.used_by(export_id, saved.model_name),
                    outputs={"deployable_model": saved.model_name},
                )
            )
    return found


def _job(job: Any, stacks: StackInventory) -> Unowned:
    inputs = job_inputs(job)
    created = f"created {job.create_time}" if job.create_time else "creation time unknown"
    entry = Unowned(
        kind="job",
        id=job.job_id,
        summary=f"{job.status}, {job.model}, {created}, output {job.finetuned_output}",
        used_by=stacks.used_by(job.job_id, job.finetuned_output),
        outputs={"job_id": job.job_id, **({"finetuned_output": job.finetuned_output} if job.finetuned_output else {})},
    )
    if job.model not in SUPPORTED_BASE_MODELS:
        entry.note = f"{job.model} is not a Wan image model this package trains, so it cannot be adopted"
        return entry
    problems = hyperparameter_problems(inputs["hyper_parameters"])
    if problems:
        reasons = "; ".join(f"{where}: {why}" for where, why in problems)
        entry.note = f"its hyper-parameters fail this package's checks, so it cannot be declared as it is ({reasons})"
        return entry
    if not inputs["validation_file_ids"]:
        del inputs["validation_file_ids"]
    entry.resource, entry.name, entry.inputs = "FineTuneJob", _name(job.job_name or job.job_id), inputs
    return entry


def _deployments(client: ModelStudioClient, stacks: StackInventory) -> list[Unowned]:
    found = []
    for item in client.deployments.iter_all():
        if item.status == "DELETING" or stacks.owns("deployment", item.deployed_model):
            continue
        entry = Unowned(
            kind="deployment",
            id=item.deployed_model,
            summary=f"{item.status}, serves {item.model_name}, capacity {item.capacity}, plan {item.plan or 'lora'}",
            used_by=stacks.used_by(item.deployed_model),
        )
        if (item.plan or "lora") != "lora":
            entry.note = f"plan {item.plan} is not a LoRA deployment this package manages, so it cannot be adopted"
        else:
            inputs = deployment_inputs(item)
            inputs.pop("plan", None)
            if inputs.get("suffix") is None:
                inputs.pop("suffix", None)
            entry.resource, entry.name, entry.inputs = "Deployment", _name(item.deployed_model), inputs
        found.append(entry)
    return found


def _name(text: str) -> str:
    return _NAME.sub("-", text).strip("-") or "adopted"


def find_unowned(client: ModelStudioClient, stacks: StackInventory) -> list[Unowned]:
    """Files, jobs, exports and deployments of the account that no stack in `stacks` manages."""
    found = _files(client, stacks) + _jobs_and_exports(client, stacks) + _deployments(client, stacks)
    seen: dict[str, int] = {}
    for entry in found:
        if entry.name is not None:
            seen[entry.name] = seen.get(entry.name, 0) + 1
            if seen[entry.name] > 1:
                entry.name = f"{entry.name}-{seen[entry.name]}"
    return found


def render_python(found: list[Unowned], stacks: list[str], style: Style = "dynamic") -> str:
    """A stack program fragment: comments for what cannot be adopted, declarations for the rest."""
    where = ", ".join(stacks) if stacks else "none"
    lines = [
        f"# {len(found)} object(s) of this account that no stack manages (stacks read: {where}).",
        "# Paste a declaration into a stack program and run `pulumi preview`: it shows as an import;",
        "# nothing is created, uploaded or trained. `pulumi destroy` of that stack then deletes it.",
        "# Declarations refer to each other (deployment -> export -> job), so Pulumi deletes in that order.",
    ]
    refs: dict[str, str] = {}
    classes = sorted({entry.resource for entry in found if entry.resource and entry.inputs is not None})
    if classes and style == "package":
        lines += ["", "import modelstudio_lora as modelstudio", "import pulumi"]
    elif classes:
        lines += ["", "import pulumi", "", f"from pulumi_modelstudio import {', '.join(classes)}"]
    for entry in found:
        lines += ["", f"# {entry.kind} {entry.id}: {entry.summary}"]
        if entry.used_by:
            lines.append(f"# used by {'; '.join(entry.used_by)}")
        if entry.note:
            lines.append(f"# {entry.note}")
        declaration = entry.declaration(refs, style)
        if declaration is not None:
            lines += [
                f"# or: {entry.import_line(style)}, then declare it without import_",
                f"{entry.variable} = {declaration}",
            ]
            refs.update({value: f"{entry.variable}.{name}" for name, value in entry.outputs.items()})
    return "\n".join(lines) + "\n"


@connection_options
def unowned(
    cwd: Annotated[Path, typer.Option(help="folder to run `pulumi` in: its backend's stacks are read")] = Path(),
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON list instead of Python")] = False,
    style: Annotated[
        str,
        typer.Option(
            help="declarations for `dynamic` (pulumi_modelstudio) or `package` (modelstudio_lora, modelstudio:index) "
            "resources; `auto` follows the --cwd project"
        ),
    ] = "auto",
    *,
    connection: ConnectionConfig,
) -> None:
    """List the account's files, jobs, exports and deployments no stack manages, with declarations adopting them."""
    if style not in _STYLES:
        msg = f"--style {style!r} is not a declaration style; use one of {', '.join(_STYLES)}"
        raise fail(msg, code=2)
    try:
        stacks = read_stacks(cwd)
    except StacksUnreadableError as exc:
        raise fail(str(exc)) from None
    chosen: Style = (
        declaration_style(cwd, stacks) if style == "auto" else ("package" if style == "package" else "dynamic")
    )
    with client_or_exit(connection) as client:
        found = find_unowned(client, stacks)
    if as_json:
        typer.echo(json.dumps([entry.as_json(chosen) for entry in found], indent=2))
    else:
        typer.echo(render_python(found, stacks.stacks, chosen), nl=False)
