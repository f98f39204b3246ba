"""The reliability scenarios use the same throwaway-project fixture as the end-to-end tests."""

from __future__ import annotations

from tests.e2e.conftest import project

__all__ = ["project"]
