"""MkDocs hook: home, year, organisation and type listing pages (not yet written)."""
