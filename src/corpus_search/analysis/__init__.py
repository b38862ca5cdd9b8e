"""The analysis stage: the one normalisation path for indexing and querying.

units.py       canonical script, jieba words, Latin words, characters, offsets
stages.py      what words go through next, in order: stems, names, stop words
tokenizers.py  the two Whoosh tokenizers (fields title/body, and exact)
analysed.py    a text analysed once for every field of every record
pairs.py       neighbouring exact terms as one term (phrases looked up)
"""

from __future__ import annotations

from corpus_search.analysis.analysed import Analysed, Posting, analyse, analyse_all
from corpus_search.analysis.pairs import phrase_pairs, run_pairs
from corpus_search.analysis.stages import (
    ENTITY_PREFIX,
    SURFACE_MARK,
    entity_patterns,
    form_terms,
    surface_tag,
)
from corpus_search.analysis.tokenizers import (
    CharTokenizer,
    WordTokenizer,
    build_analyzer,
    build_exact_analyzer,
)
from corpus_search.analysis.units import is_han, latin_words

__all__ = [
    "Analysed",
    "CharTokenizer",
    "ENTITY_PREFIX",
    "Posting",
    "SURFACE_MARK",
    "WordTokenizer",
    "analyse",
    "analyse_all",
    "build_analyzer",
    "build_exact_analyzer",
    "entity_patterns",
    "form_terms",
    "is_han",
    "latin_words",
    "phrase_pairs",
    "run_pairs",
    "surface_tag",
]
