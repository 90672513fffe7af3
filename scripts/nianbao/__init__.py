"""年报库 (Nianbao): turning raw work reports into Markdown pages; used by scripts, hooks, tests."""
