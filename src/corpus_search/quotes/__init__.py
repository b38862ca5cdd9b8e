"""The quote stage: who said what, in every article.

`extract_quotes(article)` returns the quotations of an article as `Quote`
objects: direct quotations (「…」, “…”, "…"), interview answers (Q:/A:,
問:/name:, Question:/Zhang Yong:) and reported speech (表示,…, said that …),
each attributed to a person of the lexicon where the text allows it, and to
nobody when it does not. One module per concern:

    cues.py       speech verbs, naming words, interview labels (in every script)
    marks.py      quoted spans: find, mask, cut out
    speakers.py   people and pronouns in the text, sentence subjects
    terms.py      quoted names, slogans and terms, which are not speech
    chinese.py    Chinese attribution rules and reported speech
    english.py    English attribution rules and reported speech
    interview.py  Q/A transcripts
    pipeline.py   the passes over an article
"""

from __future__ import annotations

from corpus_search.lexicon import Lexicon, load_lexicon
from corpus_search.models import Article, Quote
from corpus_search.quotes.pipeline import extract

__all__ = ["extract_quotes"]


def extract_quotes(article: Article, lexicon: Lexicon | None = None) -> list[Quote]:
    """The quotations of an article, in passage order, attributed where the text allows."""
    return extract(article, lexicon if lexicon is not None else load_lexicon())
