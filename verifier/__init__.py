"""verifier: grounded summaries, claims and attributions for news articles."""

__version__ = "0.1.0"
