"""The replay engine (``engine.py``): the llm engine's SDK path answered from ``fixtures/`` by an HTTP
transport; ``fixtures`` is the fixture store, ``record`` captures a live endpoint's answer as one."""
