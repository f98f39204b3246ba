"""Resource-independent core: owner identity, type tokens, waits, superseded-job bookkeeping."""
