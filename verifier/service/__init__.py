"""The HTTP service: ``verifier serve``.

``create_app(settings)`` (``app.py``) builds the FastAPI application: the
routes (``routes/``) parse a request into the library's inputs, run the
analysis on a pool of warm worker processes (``workers.py``, the functions
they run in ``tasks.py``) and answer the same JSON as the CLI's ``--json``.
Bulk work goes through jobs kept on disk (``jobs.py``).  Errors are RFC 9457
problem documents (``problems.py``); ``auth.py`` checks Bearer keys and
``limits.py`` caps request bodies.
"""
