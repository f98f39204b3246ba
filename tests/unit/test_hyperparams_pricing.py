"""Hyper-parameter rules and the billing arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pulumi_modelstudio.wan.hyperparams import (
    hyperparameter_problems,
    hyperparameter_warnings,
    normalize_hyperparameters,
)
from pulumi_modelstudio.wan.pricing import estimate_cost_cny, estimate_tokens

from tests.guide_request import GUIDE_REQUEST


def test_defaults_follow_the_documented_recommendations() -> None:
    t2i = normalize_hyperparameters({"generation_type": "t2i"})
    assert (t2i["max_steps"], t2i["eval_steps"], t2i["lora_rank"], t2i["max_token_length"]) == (800, 200, 32, "2k")
    assert normalize_hyperparameters({"generation_type": "i2i"})["max_pixels"] == "1k"


def test_whole_floats_from_the_engine_are_accepted_fractions_are_not() -> None:
    assert normalize_hyperparameters({"generation_type": "t2i", "max_steps": 800.0})["max_steps"] == 800
    [(field, reason)] = hyperparameter_problems({"generation_type": "t2i", "max_steps": 800.5})
    assert field == "hyper_parameters.max_steps"
    assert "whole number" in reason


def test_every_problem_is_reported_at_once_with_field_and_fix() -> None:
    problems = dict(hyperparameter_problems({"generation_type": "t2i", "lora_rank": 48, "max_steps": 0, "bogus": 1}))
    assert set(problems) == {"hyper_parameters.lora_rank", "hyper_parameters.max_steps", "hyper_parameters.bogus"}
    assert "16, 32 or 64" in problems["hyper_parameters.lora_rank"]
    assert "remove it" in problems["hyper_parameters.bogus"]


def test_generation_type_is_required() -> None:
    [(field, reason)] = hyperparameter_problems({})
    assert field == "hyper_parameters.generation_type"
    assert "required" in reason


def test_the_guides_own_request_is_accepted_as_written() -> None:
    assert hyperparameter_problems(GUIDE_REQUEST) == []
    assert hyperparameter_warnings(GUIDE_REQUEST) == []
    assert normalize_hyperparameters(GUIDE_REQUEST) == {**GUIDE_REQUEST, "split": 0.9}


def test_lora_alpha_is_sent_only_when_declared() -> None:
    """Existing declarations normalize exactly as before: no new default appears in their diff."""
    assert "lora_alpha" not in normalize_hyperparameters({"generation_type": "t2i"})
    assert normalize_hyperparameters({"generation_type": "t2i", "lora_alpha": 64.0})["lora_alpha"] == 64


@pytest.mark.parametrize(
    "hp",
    [
        {"lora_rank": 256},
        {"lora_rank": 4},
        {"save_total_limit": 100},
        {"max_steps": 50000},
        {"weight_decay": 1.5},
        {"learning_rate": 0.05},
        {"eval_steps": 0},
        {"gradient_clip": -1},
    ],
)
def test_ranges_follow_the_wan_table_not_the_qwen_one(hp: dict[str, object]) -> None:
    assert hyperparameter_problems({"generation_type": "t2i", **hp}) == []


@pytest.mark.parametrize(
    ("hp", "field", "fix"),
    [
        ({"lora_alpha": 48}, "lora_alpha", "power of two"),
        ({"lora_alpha": 0}, "lora_alpha", "32 (the default)"),
        ({"lora_rank": 0}, "lora_rank", "16, 32 or 64"),
        ({"save_total_limit": 0}, "save_total_limit", "at least 1"),
        ({"max_steps": True}, "max_steps", "true/false"),
        ({"weight_decay": -0.1}, "weight_decay", "at least 0"),
        ({"split": 1}, "split", "between 0 and 1"),
        ({"gradient_clip": 0}, "gradient_clip", "-1 to disable"),
    ],
)
def test_what_the_wan_table_forbids_is_refused(hp: dict[str, object], field: str, fix: str) -> None:
    [(name, reason)] = hyperparameter_problems({"generation_type": "t2i", **hp})
    assert name == f"hyper_parameters.{field}"
    assert fix in reason


def test_advice_warns_instead_of_refusing() -> None:
    hp = {"generation_type": "t2i", "max_pixels": "1k", "max_token_length": "2k", "max_steps": 300, "eval_steps": 400}
    assert hyperparameter_problems(hp) == []
    warned = dict(hyperparameter_warnings(hp))
    assert "keeping them equal" in warned["hyper_parameters.max_token_length"]
    assert "500 or more" in warned["hyper_parameters.max_steps"]
    assert "no checkpoint" in warned["hyper_parameters.eval_steps"]
    normalized = normalize_hyperparameters(hp)
    assert (normalized["max_pixels"], normalized["max_token_length"], normalized["val_img_size"]) == ("1k", "2k", "2k")


def test_a_missing_size_follows_the_declared_one_as_before() -> None:
    normalized = normalize_hyperparameters({"generation_type": "t2i", "val_img_size": "1k"})
    assert {normalized[k] for k in ("max_pixels", "max_token_length", "val_img_size")} == {"1k"}


@pytest.mark.parametrize(
    ("hp", "tokens", "cny"),
    [
        ({"generation_type": "t2i", "max_steps": 1000, "max_token_length": "2k"}, 232_200_000, "18576.00"),
        ({"generation_type": "t2i", "max_steps": 500, "max_token_length": "1k"}, 64_000_000, "5120.00"),
        ({"generation_type": "t2i", "max_steps": 2000, "max_token_length": "2k"}, 464_400_000, "37152.00"),
        ({"generation_type": "i2i", "max_steps": 100, "max_token_length": "2k"}, 32_000_000, "2560.00"),
    ],
)
def test_cost_matches_the_documented_table(hp: dict[str, object], tokens: int, cny: str) -> None:
    assert estimate_tokens(hp) == tokens
    assert estimate_cost_cny(tokens) == Decimal(cny)


def test_a_misspelt_name_gets_the_nearest_allowed_one() -> None:
    problems = dict(hyperparameter_problems({"generation_type": "t2i", "max_stesp": 100}))
    expected = "'max_stesp' is not a Wan image hyper-parameter — did you mean 'max_steps'?"
    assert problems["hyper_parameters.max_stesp"] == expected
    unrelated = dict(hyperparameter_problems({"generation_type": "t2i", "n_epochs": 3}))
    assert "remove it (allowed:" in unrelated["hyper_parameters.n_epochs"]


def test_a_refused_value_is_named_once() -> None:
    [(path, reason)] = hyperparameter_problems({"generation_type": "t2i", "lora_rank": 30})
    assert path == "hyper_parameters.lora_rank"
    assert reason.startswith("30 is not a power of two — ")
    [(_, reason)] = hyperparameter_problems({"generation_type": "t2i", "split": 1.5})
    assert reason.startswith("1.5: ")  # pydantic's own messages do not name the value
