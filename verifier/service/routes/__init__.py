"""The routes, one module per family: health, analyses, compare (diff, verify), jobs, page (the report)."""
