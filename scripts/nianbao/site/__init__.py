"""What the site shows, given data: listings, the metadata block, sections, figures and their
tables, year-over-year threads and their HTML. Pure: no cache, pools or MkDocs
(tests/test_layers.py)."""
