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
    naming.py     surnames, titles and honorifics (data/names.toml)
    zh_names.py   Chinese names by their shape and the evidence around them
    en_names.py   English names likewise
    cast.py       the people one article names whom the lexicon does not know
    people.py     a found person's record: stable id, every form of the name
    pipeline.py   the passes over an article
"""

from __future__ import annotations

from corpus_search.lexicon import Lexicon, load_lexicon
from corpus_search.models import Article, Quote
from corpus_search.quotes.people import Person, merge_people, new_person, person_id
from corpus_search.quotes.pipeline import extract

__all__ = [
    "Person",
    "extract_quotes",
    "extract_quotes_and_people",
    "merge_people",
    "new_person",
    "person_id",
]


def extract_quotes(article: Article, lexicon: Lexicon | None = None) -> list[Quote]:
    """The quotations of an article, in passage order, attributed where the text allows."""
    return extract_quotes_and_people(article, lexicon)[0]


def extract_quotes_and_people(
    article: Article, lexicon: Lexicon | None = None
) -> tuple[list[Quote], list[Person]]:
    """The quotations of an article, and a record of each speaker found in its text
    (not in the lexicon), in order of first quote; the quotes carry their ids."""
    return extract(article, lexicon if lexicon is not None else load_lexicon())
