"""Training token and cost estimates for Wan image LoRA runs (documented billing table)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = [
    "IMAGE_PRICE_CNY",
    "LMAX",
    "PRICE_CNY_PER_1K_TOKENS",
    "estimate_cost_cny",
    "estimate_tokens",
    "lmax",
]

PRICE_CNY_PER_1K_TOKENS = Decimal("0.08")
"""Training price, implied by the guide's table (2K, 1,000 steps: 232,200,000 tokens = 18,576 CNY)."""

LMAX: dict[tuple[str, str], int] = {
    ("t2i", "1k"): 12800,
    ("t2i", "2k"): 23220,
    ("i2i", "1k"): 23220,
    ("i2i", "2k"): 32000,
}
"""Per-step token length by (generation_type, max_token_length), from the create-job reference."""

IMAGE_PRICE_CNY: dict[str, Decimal] = {"wan2.7-image-pro": Decimal("0.50"), "wan2.7-image": Decimal("0.20")}
"""Price of one generated image; LoRA deployments bill at the base model's price."""

TOKENS_PER_STEP_FACTOR = 10


def lmax(generation_type: str, max_token_length: str) -> int:
    """Lmax for a generation type and token length (`1k` / `2k`)."""
    return LMAX[(generation_type, max_token_length.lower())]


def estimate_tokens(hyper_parameters: Mapping[str, Any]) -> int:
    """Billed training tokens: max_steps x 10 x Lmax."""
    gen = str(hyper_parameters.get("generation_type", "t2i"))
    size = str(hyper_parameters.get("max_token_length", "2k" if gen == "t2i" else "1k"))
    steps = int(hyper_parameters.get("max_steps", 800))
    return steps * TOKENS_PER_STEP_FACTOR * lmax(gen, size)


def estimate_cost_cny(tokens: int) -> Decimal:
    """Cost in CNY of `tokens` training tokens, rounded to the fen."""
    cost = Decimal(tokens) / 1000 * PRICE_CNY_PER_1K_TOKENS
    return cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
