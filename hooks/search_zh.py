"""MkDocs hook: Chinese search segmentation and the search index (not yet written)."""
