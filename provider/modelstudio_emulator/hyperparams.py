"""Hyper-parameter checks of the create-job call, after the Wan image table of the reference (§4.1).

`lora_alpha` is not in that table but the fine-tuning guide's own request sends it, so it is accepted.
Where the table gives no range, only the type is checked.
"""

from __future__ import annotations

from typing import Any

from modelstudio_emulator.errors import ApiError

__all__ = ["QWEN_MODELS", "WAN_DEFAULTS", "WAN_MODELS", "check_hyperparameters"]

WAN_MODELS = ("wan2.7-image-pro", "wan2.7-image")
QWEN_MODELS = ("qwen-image-2.0", "qwen-image-2.0-pro")
WAN_DEFAULTS: dict[str, Any] = {
    "max_steps": 800,
    "eval_steps": 200,
    "learning_rate": 3e-5,
    "gradient_clip": 0.5,
    "weight_decay": 0.02,
    "lora_rank": 32,
    "lora_alpha": 32,
    "save_total_limit": 10,
    "split": 0.9,
}
WAN_KEYS = {*WAN_DEFAULTS, "generation_type", "max_pixels", "val_img_size", "max_token_length"}
_INTEGERS = (("max_steps", 1), ("eval_steps", 0), ("lora_rank", 1), ("lora_alpha", 1), ("save_total_limit", 1))
_NUMBERS = ("learning_rate", "gradient_clip", "weight_decay", "split")


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ApiError.invalid(f"{key} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ApiError.invalid(f"{key} must be a number, got {value!r}") from exc


def _wan(model: str, hp: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(hp) - WAN_KEYS)
    if unknown:
        raise ApiError.invalid(f"Unsupported hyper parameter(s) for {model}: {', '.join(unknown)}")
    merged = {**WAN_DEFAULTS, **hp}
    gen = merged.get("generation_type")
    if gen not in ("t2i", "i2i"):
        raise ApiError.invalid("generation_type must be t2i or i2i")
    size = "2k" if gen == "t2i" else "1k"
    for key in ("max_pixels", "val_img_size", "max_token_length"):
        merged[key] = str(merged.get(key) or size).lower()
        if merged[key] not in ("1k", "2k"):
            raise ApiError.invalid(f"{key} must be 1k or 2k")
    for key, low in _INTEGERS:
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ApiError.invalid(f"{key} must be an integer >= {low}")
    for key in ("lora_rank", "lora_alpha"):
        value = merged[key]
        if value & (value - 1):
            raise ApiError.invalid(f"{key} must be a power of 2, got {value}")
    numbers = {key: _number(key, merged[key]) for key in _NUMBERS}
    if not 0 < numbers["split"] < 1:
        raise ApiError.invalid("split must be in (0, 1)")
    if numbers["learning_rate"] <= 0:
        raise ApiError.invalid("learning_rate must be positive")
    return merged


def check_hyperparameters(model: str, hp: dict[str, Any]) -> dict[str, Any]:
    """The hyper-parameters the job will use (Wan defaults filled in); 400 `InvalidParameter` otherwise."""
    if model in QWEN_MODELS:
        return dict(hp)
    return _wan(model, hp)
