"""The Deployment resource core: a LoRA deployment verified to serve what was asked for."""
