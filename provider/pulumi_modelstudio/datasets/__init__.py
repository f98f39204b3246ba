"""Dataset rules, validation, fingerprinting and deterministic packing (no network)."""
