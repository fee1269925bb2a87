"""Checkpoint's case domain: models, services, selectors and the pure rules they share."""
