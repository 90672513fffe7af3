"""The converter's pure steps: a raw report's bytes → its text, outline, metadata and Markdown.

Decoding, extraction of each format (extract/), cleaning, the outline, the portal head, dates,
organisation names, report types, metadata, variants and rendering take data and return data;
none of them knows of the cache, process pools or MkDocs (tests/test_layers.py).
"""
