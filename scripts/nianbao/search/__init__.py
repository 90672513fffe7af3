"""Chinese search: the analysis of text (jieba and bigrams), the records of each report, and the
Pagefind step that indexes them. No cache, pools or MkDocs (tests/test_layers.py)."""
