"""MkDocs hook: the report page's metadata block and variant note (not yet written)."""
