"""Matching: spelling, blocking, comparison, the model, resolution and the pipeline."""
