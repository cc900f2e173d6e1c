"""The offline engine's parts: spaCy pipelines and rules, no network.

``sentences`` splits text, ``nlp`` loads the pipelines once per process,
``speakers`` resolves who a mention refers to, ``attributions`` finds who
said what, ``claims`` and ``summary`` build the other two views.
``grammar`` holds what their rules do differently in each language (the
words themselves are in ``text/lexicon``).
"""
