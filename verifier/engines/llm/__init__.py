"""The llm engine (``engine.py``): any OpenAI-compatible endpoint through the openai SDK.

``wire`` holds the request and reply formats and the one translation of the endpoint's faults;
``faults`` what can go wrong with an answer; ``retry`` backoff, the shared throttle and re-asks;
``prompts`` the versioned prompt registry; ``tokens`` token counts; ``long_articles`` and ``merge`` an
article longer than the context, in chunks; ``batch_api`` the provider's Batch API.
"""
