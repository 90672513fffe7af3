"""Speed, kept apart from what it speeds up: the cache (keyed by content and code fingerprint),
its record codec, process pools, and indexing the search in worker processes."""
