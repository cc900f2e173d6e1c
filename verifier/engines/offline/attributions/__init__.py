"""Who said what, by rules over spaCy tokens.

For each sentence, in article order (``driver.py``), after registering the
names it holds with the speaker resolver:

1. **Direct quotes** (``direct_quotes.py``, marks from ``offline/quotes.py``)
   of four words or more: the speaker is found after the closing mark
   ("», a affirmé X", '," X said', '," said X', "», a-t-il dit") or before
   the opening one ("X a déclaré : « … »").  A quote that opens a sentence
   right after a quoted sentence of the same paragraph continues that
   speaker.  Speaker labels ("PENCE: …") too.
2. **Refusals to comment** ("n'a pas répondu aux demandes de commentaires",
   "declined to comment"): ``markers.py``.
3. **Source markers** ("selon X", "d'après X", "according to X"): the content
   is the rest of the clause on the other side of the comma (``markers.py``).
4. **Reporting verbs** (``cues.py``, words from ``text/lexicon``): the
   speaker is the verb's subject (``subjects.py``; French: the dependency
   parse, following participles and conjuncts to the verb they hang on;
   English: the noun phrase before the verb, or after it when inverted:
   "said Smith"); the content is the clause after the verb ("que …",
   "that …") or, when the verb follows its content, the clause before the
   comma (``content.py``).  "qualifier/décrire/call/describe … « Y »" gives
   the quote Y as direct speech.

Denials (``cues.py``): a denial verb (démentir, nier, rejeter, deny,
dismiss, reject …) or a characterisation as false ("qualifié de « fausses
nouvelles »").  Speakers are resolved by ``offline/speakers.py``.  What
differs by language beyond words is in ``offline/grammar``; the stages
share one ``State`` (``state.py``).
"""

from __future__ import annotations

from verifier.engines.offline.attributions.driver import extract
from verifier.engines.offline.attributions.state import Found

__all__ = ["Found", "extract"]
