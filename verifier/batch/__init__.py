"""``verifier batch``: many articles, resumable, with cost accounting.

>>> from pathlib import Path
>>> from verifier.batch import BatchOptions, run_batch
>>> from verifier.engines import make_engine
>>> summary = run_batch(["articles/"], Path("results.jsonl"), make_engine(), BatchOptions(concurrency=16))
>>> summary.done, [f.id for f in summary.failed]

``run.py`` plans a run and picks its runner by what the engine can do
(``live.py``, ``pool.py``, ``deferred.py``, ``imported.py``; ``ray_backend.py`` with ``backend="ray"``;
``export.py`` writes requests files); ``inputs.py`` reads what to
analyse, ``ledger.py`` keeps the results file, ``recorder.py`` writes each
record and keeps the totals, ``pricing.py`` prices tokens, ``estimate.py``
is the dry run and ``progress.py`` the progress bar.
"""

from verifier.batch.run import BatchOptions, run_batch

__all__ = ["BatchOptions", "run_batch"]
