"""``verifier batch``: many articles, resumable, with cost accounting.

>>> from pathlib import Path
>>> from verifier.batch import BatchOptions, run_batch
>>> summary = run_batch(["articles/"], Path("results.jsonl"), BatchOptions(concurrency=16))
>>> summary.done, [f.id for f in summary.failed]
"""

from verifier.batch.run import BatchOptions, run_batch

__all__ = ["BatchOptions", "run_batch"]
