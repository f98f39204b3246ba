"""Benchmarks whose figures go to docs/performance.md."""
