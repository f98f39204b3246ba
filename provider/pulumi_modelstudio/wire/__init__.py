"""Pydantic models of the DashScope JSON: tolerant of new fields in answers, strict in requests."""
