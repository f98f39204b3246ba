"""The example program's per-stack configuration: every shipped stack parses; bad config names the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from lora_stack import parse_stack

REPO = Path(__file__).resolve().parents[2]


def _lora_config(stack_file: Path) -> dict[str, Any]:
    config = yaml.safe_load(stack_file.read_text(encoding="utf-8"))["config"]
    return {k.removeprefix("lora:"): v for k, v in config.items() if k.startswith("lora:")}


@pytest.mark.parametrize("stack", ["local", "dev", "staging", "prod"])
def test_shipped_stacks_parse(stack: str) -> None:
    spec = parse_stack(_lora_config(REPO / "stacks" / f"Pulumi.{stack}.yaml"), f"Pulumi.{stack}.yaml")
    if stack == "prod":
        assert spec.models == []
        assert spec.promote is not None
        assert not spec.allow_training
    else:
        assert [m.name for m in spec.models] == ["product-shots"]
        for model in spec.models:
            assert (REPO / model.training_data).is_dir()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"models": [{"name": "x", "baseModel": "wan9", "trainingData": "d"}]}, "lora:models.0.baseModel"),
        (
            {"models": [{"name": "Bad Name", "baseModel": "wan2.7-image", "trainingData": "d"}]},
            "models.0.name",
        ),
        ({"models": [{"name": "x", "baseModel": "wan2.7-image"}]}, "models.0.trainingData"),
        (
            {
                "models": [
                    {
                        "name": "x",
                        "baseModel": "wan2.7-image",
                        "trainingData": "d",
                        "deploy": {"capacity": -1},
                    }
                ]
            },
            "models.0.deploy.capacity",
        ),
        (
            {
                "models": [
                    {
                        "name": "x",
                        "baseModel": "wan2.7-image",
                        "trainingData": "d",
                        "exportCheckpoint": "best",
                    }
                ]
            },
            "models.0.exportCheckpoint",
        ),
        (
            {"models": [{"name": "x", "baseModel": "wan2.7-image", "trainingData": "d", "typo": 1}]},
            "models.0.typo",
        ),
        ({"promote": {"models": {}}}, "promote.fromStack"),
        ({"promote": {"fromStack": "o/p/s", "models": {"x": {"model": "a b"}}}}, "promote.models.x.model"),
        (
            {
                "allowTraining": False,
                "models": [{"name": "x", "baseModel": "wan2.7-image", "trainingData": "d"}],
            },
            "lora:allowTraining is false",
        ),
        (
            {
                "models": [
                    {"name": "x", "baseModel": "wan2.7-image", "trainingData": "d"},
                    {"name": "x", "baseModel": "wan2.7-image", "trainingData": "e"},
                ]
            },
            "duplicate names",
        ),
    ],
)
def test_bad_config_names_the_key(raw: dict[str, Any], expected: str) -> None:
    with pytest.raises(ValueError, match=r".") as err:
        parse_stack(raw, "stacks/Pulumi.dev.yaml")
    assert expected in str(err.value)
    assert "stacks/Pulumi.dev.yaml" in str(err.value)


def test_a_promotion_can_hold_an_exact_model_version() -> None:
    raw = {"promote": {"fromStack": "o/p/staging", "models": {"x": {"model": "wan2.7-image-pro-ft-1-c800"}}}}
    spec = parse_stack(raw, "stacks/Pulumi.prod.yaml")
    assert spec.promote is not None
    assert spec.promote.models["x"].model == "wan2.7-image-pro-ft-1-c800"
    assert spec.promote.models["x"].suffix is None


def test_the_switch_order_is_create_first_unless_a_stack_or_model_says_delete_first() -> None:
    model = {"name": "x", "baseModel": "wan2.7-image", "trainingData": "d", "deploy": {"replace": "delete-first"}}
    assert parse_stack({}, "Pulumi.dev.yaml").replace == "create-first"
    spec = parse_stack({"replace": "delete-first", "models": [model]}, "Pulumi.dev.yaml")
    assert spec.replace == "delete-first"
    assert spec.models[0].deploy is not None
    assert spec.models[0].deploy.replace == "delete-first"
    with pytest.raises(ValueError, match="lora:replace"):
        parse_stack({"replace": "later"}, "Pulumi.dev.yaml")
