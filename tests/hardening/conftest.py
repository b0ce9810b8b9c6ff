"""The hardening suite reuses the end-to-end fixtures (sandbox + real bot)."""

from tests.e2e.conftest import clock, council, harness

__all__ = ["clock", "council", "harness"]
