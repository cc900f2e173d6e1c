"""Shared by the tests and the benchmarks, one job per module:

* ``paths``: the checkout's root, the fixtures and the two seed articles;
* ``keys``: the sentinel API key that must never leak;
* ``fixtures``: the hand-annotated analyses under ``fixtures/responses``;
* ``cli``: the real ``verifier`` entry point in a subprocess;
* ``loopback``: an OpenAI-compatible server on 127.0.0.1 (also standalone:
  ``python -m tests.helpers.loopback --help`` from the project root).

Pytest fixtures stay in ``tests/conftest.py``.
"""
