"""Resource-independent core: owner identity, waits, superseded-job bookkeeping."""
