"""Text utilities every layer may use: ``folding`` (matching text across typography and case, with offsets
back), ``sentences`` (sentence boundaries), ``chunks`` (a text cut to a budget at paragraph boundaries),
``language`` (a stop-word language guesser), ``nlp`` (spaCy pipelines, loaded once), ``lexicon`` (word
lists by language)."""
