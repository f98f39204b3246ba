"""The core of every resource, independent of any Pulumi front end: typed properties (`model`, `values`),
owner identity, type tokens, waits, superseded-job bookkeeping, serving continuity, and one package per resource
(`dataset`, `fine_tune_job`, `checkpoint_export`, `deployment`) with its inputs model and its check, diff, create,
read, update and delete."""
