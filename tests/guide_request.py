"""The Wan image fine-tuning guide's own example values, shared by the tests that replay them."""

from __future__ import annotations

GUIDE_REQUEST = {
    "learning_rate": 3e-5,
    "max_steps": 800,
    "eval_steps": 200,
    "max_token_length": "2k",
    "gradient_clip": 0.5,
    "weight_decay": 0.02,
    "max_pixels": "2k",
    "val_img_size": "2k",
    "generation_type": "t2i",
    "lora_rank": 32,
    "lora_alpha": 32,
    "save_total_limit": 10,
}
"""The create-job request of the Wan image fine-tuning guide, as written."""
