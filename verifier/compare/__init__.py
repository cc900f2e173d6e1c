"""Comparing texts: two versions of a story (``diff``), claims against a source (``verify``).

``details`` reads a claim's checkable details and types the differences between two claims; ``align``
and ``embeddings`` pair claims (or claims and sentences) one-to-one; ``judging`` puts batched prompts to
an engine that judges, for ``adjudicate`` (diff's ambiguous pairs) and ``verify_judged``;
``verify_rules`` checks claims without a model; ``claims_input`` reads CLAIMS.
"""
