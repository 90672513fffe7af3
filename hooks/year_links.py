"""MkDocs hook: year-over-year links between an organisation's reports (not yet written)."""
