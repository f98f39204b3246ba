"""Typed, range-checked hyper-parameters of Wan image LoRA training (wan2.7-image-pro, wan2.7-image)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from provider.base_models import SUPPORTED_BASE_MODELS

__all__ = [
    "SUPPORTED_BASE_MODELS",
    "WanImageHyperParameters",
    "hyperparameter_problems",
    "normalize_hyperparameters",
]


Size = Literal["1k", "2k"]

_FIXES: dict[str, str] = {
    "max_steps": "use a whole number of steps from 1 to 20000 (800 is recommended)",
    "eval_steps": "use a whole number from 0 up to max_steps (200 is recommended)",
    "learning_rate": "use a small positive number such as 3e-5",
    "generation_type": "use 't2i' (text to image) or 'i2i' (image to image)",
    "max_pixels": "use '1k' or '2k'",
    "val_img_size": "use '1k' or '2k'",
    "max_token_length": "use '1k' or '2k'",
    "gradient_clip": "use a positive number such as 0.5, or -1 to disable clipping",
    "weight_decay": "use a number from 0 to 1 such as 0.02",
    "lora_rank": "use a power of two from 8 to 128: 16, 32 or 64",
    "save_total_limit": "use a whole number from 1 to 40 (10 is recommended)",
    "split": "use a fraction between 0 and 1 such as 0.9",
}


class WanImageHyperParameters(BaseModel):
    """Wan image hyper-parameters; missing values take the documented recommended ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    generation_type: Literal["t2i", "i2i"]
    """Text-to-image or image-to-image; decides the dataset format."""
    max_steps: int = Field(default=800, ge=1, le=20000)
    """Total training steps; drives the cost."""
    eval_steps: int = Field(default=200, ge=0)
    """Validate and save a checkpoint every N steps."""
    learning_rate: float = Field(default=3e-5, gt=0, le=1e-2)
    """Optimizer learning rate."""
    max_pixels: Size | None = None
    """Pixel cap of training images (t2i default 2k, i2i default 1k)."""
    val_img_size: Size | None = None
    """Resolution of validation previews."""
    max_token_length: Size | None = None
    """Per-step data size; with generation_type it sets Lmax and so the cost."""
    gradient_clip: float = 0.5
    """Global gradient-norm clip; -1 disables."""
    weight_decay: float = Field(default=0.02, ge=0, le=1)
    """AdamW decoupled weight decay."""
    lora_rank: int = Field(default=32, ge=8, le=128)
    """LoRA rank, a power of two."""
    save_total_limit: int = Field(default=10, ge=1, le=40)
    """Keep the last N checkpoints."""
    split: float = Field(default=0.9, gt=0, lt=1)
    """Training share when no validation data is given."""

    @field_validator("lora_rank")
    @classmethod
    def _power_of_two(cls, value: int) -> int:
        if value & (value - 1):
            msg = f"{value} is not a power of two"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> WanImageHyperParameters:
        if self.eval_steps > self.max_steps:
            msg = f"eval_steps {self.eval_steps} is larger than max_steps {self.max_steps}"
            raise ValueError(msg)
        if self.gradient_clip != -1 and self.gradient_clip <= 0:
            msg = f"gradient_clip {self.gradient_clip} must be positive or -1"
            raise ValueError(msg)
        sizes = {s for s in (self.max_pixels, self.val_img_size, self.max_token_length) if s is not None}
        if len(sizes) > 1:
            msg = "max_pixels, val_img_size and max_token_length differ; the API expects them equal"
            raise ValueError(msg)
        return self

    def to_api(self) -> dict[str, Any]:
        """The full parameter set sent to the API, defaults filled in."""
        default: Size = "2k" if self.generation_type == "t2i" else "1k"
        size = self.max_token_length or self.max_pixels or self.val_img_size or default
        data = self.model_dump()
        data.update(max_pixels=size, val_img_size=size, max_token_length=size)
        return data


def _field_of(message: str) -> str | None:
    for name in ("lora_rank", "eval_steps", "gradient_clip"):
        if message.startswith(name):
            return name
    if "max_pixels" in message:
        return "max_token_length"
    return None


def hyperparameter_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(property path, reason with the fix) for every problem; empty when the set is valid."""
    try:
        WanImageHyperParameters.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [str(p) for p in error["loc"]]
            name = loc[0] if loc else (_field_of(str(error.get("ctx", {}).get("error", ""))) or "")
            message = str(error["msg"]).removeprefix("Value error, ")
            if not loc:
                name = _field_of(message) or ""
            if error["type"] == "extra_forbidden":
                reason = f"{name!r} is not a Wan image hyper-parameter — remove it (allowed: {', '.join(_FIXES)})"
            elif error["type"] == "missing":
                reason = f"{name} is required — {_FIXES.get(name, 'set it')}"
            else:
                reason = f"{values.get(name, '')!r}: {message} — {_FIXES.get(name, 'see the documented range')}"
            problems.append((f"hyper_parameters.{name}" if name else "hyper_parameters", reason))
        return problems
    return []


def normalize_hyperparameters(values: dict[str, Any]) -> dict[str, Any]:
    """Validated parameters with the documented defaults filled in (stable for diffs)."""
    return WanImageHyperParameters.model_validate(values).to_api()
