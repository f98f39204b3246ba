"""The Dataset resource core: a validated, deterministically packed zip uploaded as a file."""
