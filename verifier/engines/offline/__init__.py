"""The offline engine (``engine.py``): spaCy pipelines from PyPI and rules, no network, no key.

``parsed`` runs a language's pipeline over the sentences (``text/sentences``, ``text/nlp``);
``quotes`` finds quotation marks; ``attributions/`` finds who said what, one module per stage
(direct quotes, markers, reporting verbs, their subjects, what they report); ``speakers`` resolves
who a mention refers to; ``claims`` and ``summary`` build the other two views.  ``grammar/`` holds
what the rules do differently in each language; the words themselves are in ``text/lexicon``.
"""
