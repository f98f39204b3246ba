"""The `modelstudio` command line: datasets, the local emulator, jobs, checkpoints, images, cost, reviews."""
