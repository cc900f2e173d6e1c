"""From an article to its grounded analysis, and the views the commands print.

``pipeline.py`` is the one seam every front end calls; ``grounding.py``
locates the engine's quotes in the article; ``cache.py`` keeps engine
answers; ``views.py`` cuts the three command outputs from one analysis.
"""

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline, analyze

__all__ = ["AnalyzeOptions", "Pipeline", "analyze"]
