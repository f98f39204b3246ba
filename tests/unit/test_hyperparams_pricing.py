"""Hyper-parameter rules and the billing arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from provider.hyperparams import hyperparameter_problems, normalize_hyperparameters
from provider.pricing import estimate_cost_cny, estimate_tokens


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
