"""Model declarations the end-to-end tests deploy (small datasets shipped with the example)."""

from __future__ import annotations

from typing import Any

HYPER_PARAMETERS: dict[str, Any] = {
    "max_steps": 800,
    "eval_steps": 200,
    "learning_rate": 3.0e-5,
    "max_token_length": "2k",
    "max_pixels": "2k",
    "val_img_size": "2k",
    "lora_rank": 32,
}


def product_shots(**overrides: Any) -> dict[str, Any]:
    """The example t2i model, exported at its latest checkpoint and deployed."""
    model: dict[str, Any] = {
        "name": "product-shots",
        "baseModel": "wan2.7-image-pro",
        "generationType": "t2i",
        "trainingData": "stacks/datasets/product-t2i",
        "validationData": "stacks/datasets/product-t2i-val",
        "hyperParameters": dict(HYPER_PARAMETERS),
        "exportCheckpoint": "latest",
        "deploy": {"capacity": 1},
    }
    model.update(overrides)
    return model


def promotion(**deploy: Any) -> dict[str, Any]:
    """`lora:*` config of a prod-like stack: no training, product-shots promoted from the staging stack."""
    return {
        "allowTraining": False,
        "promote": {"fromStack": "organization/modelstudio-lora/staging", "models": {"product-shots": deploy}},
    }
