"""Extraction layer: each input format becomes ordered blocks plus the metadata it carries."""
