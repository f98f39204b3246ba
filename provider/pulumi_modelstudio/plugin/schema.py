"""The `modelstudio` package schema, built from one table of typed fields.

The plugin answers `GetSchema` with it; `provider/schema.json` is what `pulumi package get-schema` prints for it
(`pulumi package get-schema .venv/bin/pulumi-resource-modelstudio > provider/schema.json`), and tests keep the
file, this table, the resource classes and the generated Python classes in step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pulumi_modelstudio._version import __version__

__all__ = [
    "COMPONENTS",
    "CONFIG",
    "PACKAGE",
    "PYTHON_PACKAGE",
    "RESOURCES",
    "Field",
    "schema",
    "schema_text",
]

PACKAGE = "modelstudio"
PYTHON_PACKAGE = "modelstudio_lora"
"""Import name of the typed Python classes generated from this schema (shipped in the same wheel)."""

_STRING: dict[str, Any] = {"type": "string"}
_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_NUMBER: dict[str, Any] = {"type": "number"}
_INTEGER: dict[str, Any] = {"type": "integer"}
_BOOLEAN: dict[str, Any] = {"type": "boolean"}
_ANY_MAP: dict[str, Any] = {"type": "object", "additionalProperties": {"$ref": "pulumi.json#/Any"}}


@dataclass(frozen=True)
class Field:
    """One property: its schema name (camelCase), type, description, and role."""

    name: str
    type: dict[str, Any]
    description: str
    required: bool = False
    secret: bool = False
    default: Any = None

    @property
    def integer(self) -> bool:
        """Whether the property is a whole number (the engine may send it as a float)."""
        return self.type == _INTEGER

    def spec(self) -> dict[str, Any]:
        """The property's schema entry."""
        entry: dict[str, Any] = {**self.type, "description": self.description}
        if self.secret:
            entry["secret"] = True
        if self.default is not None:
            entry["default"] = self.default
        return entry


@dataclass(frozen=True)
class Kind:
    """One resource or component: inputs and outputs (outputs include every input, as recorded in state)."""

    name: str
    description: str
    inputs: tuple[Field, ...]
    outputs: tuple[Field, ...]
    component: bool = False

    @property
    def token(self) -> str:
        """`modelstudio:index:<Name>`."""
        return f"{PACKAGE}:index:{self.name}"

    def spec(self) -> dict[str, Any]:
        """The resource's schema entry."""
        outputs = self.outputs if self.component else (*self.inputs, *self.outputs)
        entry: dict[str, Any] = {
            "description": self.description,
            "inputProperties": {f.name: f.spec() for f in self.inputs},
            "requiredInputs": [f.name for f in self.inputs if f.required],
            "properties": {f.name: f.spec() for f in outputs},
            "required": [f.name for f in outputs if f.required],
        }
        if self.component:
            entry["isComponent"] = True
        return entry


CONFIG: tuple[Field, ...] = (
    Field("apiKey", _STRING, "Model Studio (DashScope) API key; falls back to DASHSCOPE_API_KEY.", secret=True),
    Field(
        "endpoint",
        _STRING,
        "API base URL, or `emulator` for the embedded local emulator; falls back to DASHSCOPE_HTTP_BASE_URL.",
    ),
    Field("region", _STRING, "`cn-beijing` (default) or `ap-southeast-1`; falls back to DASHSCOPE_REGION."),
    Field("workspace", _STRING, "Workspace id sent as X-DashScope-WorkSpace; falls back to DASHSCOPE_WORKSPACE."),
    Field(
        "training",
        _STRING,
        "Default training mode: `wait` (`pulumi up` waits for training) or `submit` (it submits the job, records "
        "it and returns; later runs see it finish).",
    ),
    Field("timeScale", _NUMBER, "Service seconds per real second (1 for the real API; an emulator's speed)."),
    Field("emulatorDir", _STRING, "Folder of the embedded emulator's state, relative to the project."),
    Field("emulatorSpeed", _NUMBER, "Simulated seconds per real second of the embedded emulator."),
)

_BASE_MODEL = Field("model", _STRING, "Base model: `wan2.7-image-pro` or `wan2.7-image`.", required=True)
_GENERATION_TYPE = Field("generationType", _STRING, "`t2i` or `i2i`.", default="t2i")
_ESTIMATED_COST = Field("estimatedCostCny", _NUMBER, "Expected training cost in CNY.")
_JOB_ID = Field("jobId", _STRING, "The fine-tune job id, `ft-YYYYMMDDHHMM-xxxx`.", required=True)
_FINETUNED_OUTPUT = Field("finetunedOutput", _STRING, "The trained model id, deployable once the job SUCCEEDED.")
_TRAINING_TIMEOUT = Field(
    "timeoutMinutes", _NUMBER, "Training deadline in minutes; the job is cancelled when it passes."
)
"""Properties that a resource and the LoraModel component share."""


_DATASET = Kind(
    "Dataset",
    "A LoRA training or validation dataset (folder or .zip) validated at preview and uploaded to Model Studio. "
    "Its content digest drives replacement.",
    inputs=(
        Field("source", _STRING, "Dataset folder or .zip, relative to the project root.", required=True),
        _GENERATION_TYPE,
        Field("role", _STRING, "`training` or `validation`.", default="training"),
    ),
    outputs=(
        Field("sha256", _STRING, "Content digest of the dataset (file names, sizes and bytes).", required=True),
        Field("imageCount", _INTEGER, "Number of images in the dataset.", required=True),
        Field("sizeBytes", _INTEGER, "Total size of the dataset's files.", required=True),
        Field("fileId", _STRING, "The Model Studio file id.", required=True),
        Field("fileName", _STRING, "The uploaded file's name (it carries the owner key).", required=True),
    ),
)

_FINE_TUNE_JOB = Kind(
    "FineTuneJob",
    "A LoRA fine-tune of a Wan image model, never started twice by accident. What is trained (model, declared "
    "hyper-parameters, data content) replaces; `wait` and `timeoutMinutes` update in place.",
    inputs=(
        _BASE_MODEL,
        Field("trainingFileIds", _STRINGS, "File ids of the training datasets.", required=True),
        Field("hyperParameters", _ANY_MAP, "Hyper-parameters as the API names them (max_steps, …).", required=True),
        Field("validationFileIds", _STRINGS, "File ids of the validation datasets."),
        Field("trainingSha256", _STRINGS, "Content digests of the training files (a Dataset's sha256)."),
        Field("validationSha256", _STRINGS, "Content digests of the validation files."),
        Field("wait", _BOOLEAN, "Wait for training to end; false submits and returns (provider `training`)."),
        _TRAINING_TIMEOUT,
    ),
    outputs=(
        _JOB_ID,
        Field("status", _STRING, "Status at the last create or refresh.", required=True),
        _FINETUNED_OUTPUT,
        Field(
            "deployableModel",
            _STRING,
            "The model to deploy: `pending:<job_id>` until the job SUCCEEDED.",
            required=True,
        ),
        Field("usageTokens", _INTEGER, "Billed training tokens."),
        Field("estimatedTokens", _INTEGER, "Tokens the run is expected to bill."),
        _ESTIMATED_COST,
        Field("checkpoints", _STRINGS, "Saved checkpoints, newest first."),
        Field("jobName", _STRING, "The job name sent on create."),
        Field("createdJobName", _STRING, "The job name the service reports."),
        Field("progress", _ANY_MAP, "Step, total steps, checkpoints and time left while it trains."),
    ),
)

_CHECKPOINT_EXPORT = Kind(
    "CheckpointExport",
    "One checkpoint of a finished job exported as a deployable model; a `pending:` placeholder until "
    "`jobStatus` is SUCCEEDED.",
    inputs=(
        Field("jobId", _STRING, "The fine-tune job.", required=True),
        Field("checkpoint", _STRING, "`latest` or `checkpoint-<step>`.", default="latest"),
        Field("modelName", _STRING, "Export name, unique per account; by default named after its owner and job."),
        Field("jobStatus", _STRING, "The job's status output: export waits as a placeholder until SUCCEEDED."),
        Field(
            "jobHyperParameters",
            _ANY_MAP,
            "The job's hyperParameters: the preview then refuses a checkpoint the job will not keep.",
        ),
    ),
    outputs=(
        Field("deployableModel", _STRING, "The model id to deploy.", required=True),
        Field("step", _INTEGER, "Training step of the exported checkpoint."),
        Field("status", _STRING, "`SUCCEEDED`, or `WAITING_FOR_TRAINING` while a placeholder.", required=True),
        Field("exportName", _STRING, "The display name the export was made with."),
        Field("exportedCheckpoint", _STRING, "The checkpoint exported (`latest` resolved)."),
    ),
)

_DEPLOYMENT = Kind(
    "Deployment",
    "A LoRA deployment of a fine-tuned or exported model, verified to serve what was asked for.",
    inputs=(
        Field("modelName", _STRING, "A job's finetunedOutput or an export's deployableModel.", required=True),
        Field("capacity", _INTEGER, "Sent when deploying; no effect on LoRA deployments (1).", default=1),
        Field("plan", _STRING, "Deployment plan: `lora`.", default="lora"),
        Field("suffix", _STRING, "1-8 lower-case letters or digits; by default unique to this declaration."),
        Field("timeoutMinutes", _NUMBER, "How long to wait for RUNNING.", default=30),
        Field(
            "replace",
            _STRING,
            "How it switches to another model: `create-first` (the new deployment is RUNNING before the old one "
            "is deleted; both are billed for a few minutes) or `delete-first` (downtime while the new one starts).",
        ),
        Field(
            "training",
            _STRING,
            "`submit` when modelName comes from a job submitted without waiting: a retrain keeps this deployment "
            "serving in the run that submits it (an in-place update, also at preview); a later run switches. "
            "Unset: `wait`.",
        ),
    ),
    outputs=(
        Field("deployedModel", _STRING, "The model id to call for inference.", required=True),
        Field("status", _STRING, "Status at the last create, update or refresh.", required=True),
        Field("baseModel", _STRING, "The base model behind the LoRA."),
        Field("servedModel", _STRING, "The model it serves (unset while it waits for its first training)."),
        Field(
            "nextModel",
            _STRING,
            "`pending:<job_id>…` while the next version trains and this deployment keeps serving; else unset.",
        ),
    ),
)

_LORA_MODEL = Kind(
    "LoraModel",
    "A complete LoRA model: upload data, train, optionally export a checkpoint, optionally deploy.",
    inputs=(
        _BASE_MODEL,
        Field("trainingData", _STRING, "Training dataset folder or .zip, relative to the project.", required=True),
        _GENERATION_TYPE,
        Field("validationData", _STRING, "Validation dataset folder or .zip."),
        Field("hyperParameters", _ANY_MAP, "Hyper-parameters as the API names them (max_steps, …)."),
        Field("exportCheckpoint", _STRING, "`latest` or `checkpoint-<step>` to export before deploying."),
        Field("exportName", _STRING, "Name of the export, unique per account."),
        Field("deploy", _BOOLEAN, "Deploy the model (default true).", default=True),
        Field("capacity", _INTEGER, "Deployment capacity (no effect on LoRA deployments).", default=1),
        Field("suffix", _STRING, "Deployment suffix."),
        _TRAINING_TIMEOUT,
        Field("training", _STRING, "`wait` or `submit`; defaults to the provider's `training` setting, else wait."),
        Field("replace", _STRING, "How the deployment switches to a new version: `create-first` or `delete-first`."),
    ),
    outputs=(
        _JOB_ID,
        Field("trainingStatus", _STRING, "The job's status.", required=True),
        _FINETUNED_OUTPUT,
        Field("deployableModel", _STRING, "The model deployed (`pending:…` while training).", required=True),
        Field("deployedModel", _STRING, "The deployed model id that serves, also while the next version trains."),
        Field("serving", _STRING, "What serves and where the next version stands, in one line."),
        _ESTIMATED_COST,
    ),
    component=True,
)

RESOURCES: tuple[Kind, ...] = (_DATASET, _FINE_TUNE_JOB, _CHECKPOINT_EXPORT, _DEPLOYMENT)
COMPONENTS: tuple[Kind, ...] = (_LORA_MODEL,)


def schema(version: str = __version__) -> dict[str, Any]:
    """The package schema."""
    config = {f.name: f.spec() for f in CONFIG}
    return {
        "name": PACKAGE,
        "displayName": "Model Studio LoRA",
        "version": version,
        "description": "LoRA fine-tuning and deployment of Alibaba Cloud Model Studio (DashScope) Wan image models.",
        "keywords": ["pulumi", "modelstudio", "dashscope", "lora", "category/cloud"],
        "license": "Apache-2.0",
        "publisher": "modelstudio-lora",
        "config": {"variables": config},
        "provider": {
            "description": "The Model Studio provider: API key, endpoint, region, workspace and training mode.",
            "inputProperties": config,
        },
        "resources": {kind.token: kind.spec() for kind in (*RESOURCES, *COMPONENTS)},
        "language": {
            "python": {"packageName": PYTHON_PACKAGE, "respectSchemaVersion": True, "pyproject": {"enabled": False}},
            "nodejs": {"packageName": "@modelstudio-lora/modelstudio", "respectSchemaVersion": True},
            "go": {
                "importBasePath": "github.com/modelstudio-lora/modelstudio/sdk/go/modelstudio",
                "respectSchemaVersion": True,
            },
        },
    }


def schema_text(version: str = __version__) -> str:
    """The schema as committed: indented JSON with a final newline."""
    return json.dumps(schema(version), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(schema_text())
