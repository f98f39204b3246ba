"""Wan image model facts: supported base models, hyper-parameters, pricing and training durations."""
