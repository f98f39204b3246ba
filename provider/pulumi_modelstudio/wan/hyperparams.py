"""Typed, range-checked hyper-parameters of Wan image LoRA training (wan2.7-image-pro, wan2.7-image).

Errors follow the Wan image table of the API reference; the guide's advice (at least 500 steps, equal sizes)
produces warnings, never refusals.
"""

from __future__ import annotations

import difflib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pulumi_modelstudio.datasets.rules import GenerationType
from pulumi_modelstudio.wan.models import SUPPORTED_BASE_MODELS

__all__ = [
    "DEFAULT_LORA_ALPHA",
    "SUPPORTED_BASE_MODELS",
    "WanImageHyperParameters",
    "hyperparameter_problems",
    "hyperparameter_warnings",
    "normalize_hyperparameters",
]


Size = Literal["1k", "2k"]
SIZE_FIELDS = ("max_token_length", "max_pixels", "val_img_size")
DEFAULT_LORA_ALPHA = 32
"""The LoRA scaling the service applies when `lora_alpha` is not sent (the guide's example sends 32)."""
RECOMMENDED_MIN_STEPS = 500
HIGH_LEARNING_RATE = 1e-3

_FIXES: dict[str, str] = {
    "generation_type": "use 't2i' (text to image) or 'i2i' (image to image)",
    "max_steps": "use a whole number of steps of at least 1 (800 is recommended, 500 or more works best)",
    "eval_steps": "use a whole number of at least 0 (200 is recommended)",
    "learning_rate": "use a small positive number such as 3e-5",
    "max_pixels": "use '1k' or '2k'",
    "val_img_size": "use '1k' or '2k'",
    "max_token_length": "use '1k' or '2k'",
    "gradient_clip": "use a positive number such as 0.5, or -1 to disable clipping",
    "weight_decay": "use a number of at least 0 such as 0.02",
    "lora_rank": "use a power of two such as 16, 32 or 64",
    "lora_alpha": f"use a power of two such as {DEFAULT_LORA_ALPHA} (the default)",
    "save_total_limit": "use a whole number of at least 1 (10 is recommended)",
    "split": "use a fraction between 0 and 1 such as 0.9",
}


class WanImageHyperParameters(BaseModel):
    """Wan image hyper-parameters; missing values take the documented recommended ones."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, allow_inf_nan=False)

    generation_type: GenerationType
    """Text-to-image or image-to-image; decides the dataset format."""
    max_steps: int = Field(default=800, ge=1)
    """Total training steps; drives the cost (500 or more recommended)."""
    eval_steps: int = Field(default=200, ge=0)
    """Validate and save a checkpoint every N steps."""
    learning_rate: float = Field(default=3e-5, gt=0)
    """Optimizer learning rate."""
    max_pixels: Size | None = None
    """Pixel cap of training images (t2i default 2k, i2i default 1k)."""
    val_img_size: Size | None = None
    """Resolution of validation previews."""
    max_token_length: Size | None = None
    """Per-step data size; with generation_type it sets Lmax and so the cost."""
    gradient_clip: float = 0.5
    """Global gradient-norm clip; -1 disables."""
    weight_decay: float = Field(default=0.02, ge=0)
    """AdamW decoupled weight decay."""
    lora_rank: int = Field(default=32, ge=1)
    """LoRA rank, a power of two."""
    lora_alpha: int | None = Field(default=None, ge=1)
    """LoRA scaling, a power of two; sent only when declared (the service then applies 32)."""
    save_total_limit: int = Field(default=10, ge=1)
    """Keep the last N checkpoints."""
    split: float = Field(default=0.9, gt=0, lt=1)
    """Training share when no validation data is given."""

    @field_validator("max_steps", "eval_steps", "lora_rank", "lora_alpha", "save_total_limit", mode="before")
    @classmethod
    def _not_a_flag(cls, value: object) -> object:
        if isinstance(value, bool):
            msg = "true/false is not a number"
            raise ValueError(msg)
        return value

    @field_validator("lora_rank", "lora_alpha")
    @classmethod
    def _power_of_two(cls, value: int | None) -> int | None:
        if value is not None and value & (value - 1):
            msg = f"{value} is not a power of two"
            raise ValueError(msg)
        return value

    @field_validator("gradient_clip")
    @classmethod
    def _clip(cls, value: float) -> float:
        if value != -1 and value <= 0:
            msg = f"{value} must be positive or -1"
            raise ValueError(msg)
        return value

    def to_api(self) -> dict[str, Any]:
        """The full parameter set sent to the API, defaults filled in (`lora_alpha` only when declared).

        A missing size takes the first declared one of max_token_length, max_pixels, val_img_size, else the
        generation type's recommended size.
        """
        default: Size = "2k" if self.generation_type == "t2i" else "1k"
        declared = [getattr(self, name) for name in SIZE_FIELDS if getattr(self, name) is not None]
        fill = declared[0] if declared else default
        data = self.model_dump()
        for name in SIZE_FIELDS:
            data[name] = data[name] or fill
        if data["lora_alpha"] is None:
            del data["lora_alpha"]
        return data


def _validated(values: dict[str, Any]) -> WanImageHyperParameters | None:
    try:
        return WanImageHyperParameters.model_validate(values)
    except ValidationError:
        return None


def _unknown_name(name: str) -> str:
    """Why `name` is refused, with the nearest allowed name when it looks like a typo."""
    close = difflib.get_close_matches(name, list(_FIXES), n=1, cutoff=0.7)
    if close:
        return f"{name!r} is not a Wan image hyper-parameter — did you mean {close[0]!r}?"
    return f"{name!r} is not a Wan image hyper-parameter — remove it (allowed: {', '.join(_FIXES)})"


def hyperparameter_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(property path, reason with the fix) for every problem; empty when the set is valid."""
    try:
        WanImageHyperParameters.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                reason = _unknown_name(name)
            elif error["type"] == "missing":
                reason = f"{name} is required — {_FIXES.get(name, 'set it')}"
            elif error["type"] == "finite_number":
                value = values.get(name, "")
                shown = json.dumps(value) if isinstance(value, float) else repr(value)  # NaN, Infinity, -Infinity
                reason = (
                    f"{shown} is not a finite number (the API's JSON cannot carry it) — "
                    f"{_FIXES.get(name, 'declare a finite number')}"
                )
            else:
                shown = "" if error["type"] == "value_error" else f"{values.get(name, '')!r}: "  # ours name the value
                reason = f"{shown}{message} — {_FIXES.get(name, 'see the documented range')}"
            problems.append((f"hyper_parameters.{name}" if name else "hyper_parameters", reason))
        return problems
    return []


def hyperparameter_warnings(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(property path, advice) where a valid set departs from the guide's advice; empty for an invalid set."""
    hp = _validated(values)
    if hp is None:
        return []
    warnings: list[tuple[str, str]] = []
    sizes = {name: getattr(hp, name) for name in SIZE_FIELDS if getattr(hp, name) is not None}
    if len(set(sizes.values())) > 1:
        shown = ", ".join(f"{name}={size!r}" for name, size in sizes.items())
        warnings.append(("hyper_parameters.max_token_length", f"{shown} differ — the guide advises keeping them equal"))
    if hp.max_steps < RECOMMENDED_MIN_STEPS:
        advice = f"{hp.max_steps} steps is few — the guide recommends {RECOMMENDED_MIN_STEPS} or more (800 by default)"
        warnings.append(("hyper_parameters.max_steps", advice))
    if hp.eval_steps > hp.max_steps:
        advice = f"eval_steps {hp.eval_steps} > max_steps {hp.max_steps}: no checkpoint is previewed before the end"
        warnings.append(("hyper_parameters.eval_steps", advice))
    if hp.learning_rate > HIGH_LEARNING_RATE:
        advice = f"{hp.learning_rate} is unusually high for LoRA training — 3e-5 is recommended"
        warnings.append(("hyper_parameters.learning_rate", advice))
    if hp.weight_decay > 1:
        warnings.append(("hyper_parameters.weight_decay", f"{hp.weight_decay} is unusually high — 0.02 is recommended"))
    return warnings


def normalize_hyperparameters(values: dict[str, Any]) -> dict[str, Any]:
    """Validated parameters with the documented defaults filled in (stable for diffs)."""
    return WanImageHyperParameters.model_validate(values).to_api()
