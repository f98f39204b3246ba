"""The FineTuneJob resource core: a Wan image LoRA training job that is never started twice by accident."""
