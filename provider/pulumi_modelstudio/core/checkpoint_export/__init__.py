"""The CheckpointExport resource core: one saved checkpoint of a job turned into a deployable model."""
