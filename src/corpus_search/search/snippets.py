"""Snippets: each result's best passages, found only among that article's passages.

The passages of the page's articles are looked up by article id; the query
("any part" of it) is matched against just those documents by skipping its
matcher from one to the next, so the cost follows the page, not the corpus.
Among equally good passages the earlier one wins (a mild lead prior: a name or
idea is usually introduced early). Matches are marked in the text as written.
"""

from __future__ import annotations

from whoosh.query import Query
from whoosh.searching import Searcher

from corpus_search.highlight import excerpt, find_spans
from corpus_search.models import Snippet
from corpus_search.query import Highlights

__all__ = ["SNIPPETS_PER_HIT", "LEAD_PRIOR", "snippets", "passage_scores"]

SNIPPETS_PER_HIT = 3
CANDIDATES = SNIPPETS_PER_HIT * 4
LEAD_PRIOR = 0.5


def passage_scores(searcher: Searcher, query: Query, docs: list[int]) -> dict[int, float]:
    """The query's score for each of ``docs`` (document numbers) that it matches."""
    scores: dict[int, float] = {}
    wanted = sorted(docs)
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        end = offset + leaf.doc_count_all()
        local = [d - offset for d in wanted if offset <= d < end]
        if not local:
            continue
        matcher = query.matcher(leaf, context)
        for doc in local:
            if not matcher.is_active():
                break
            if matcher.id() < doc:
                matcher.skip_to(doc)
                if not matcher.is_active():
                    break
            if matcher.id() == doc:
                scores[doc + offset] = matcher.score()
    return scores


def snippets(searcher: Searcher, query: Query, marks: Highlights, article_id: str) -> list[Snippet]:
    """Up to SNIPPETS_PER_HIT marked passages of one article for ``query``."""
    docs = sorted(searcher.document_numbers(article_id=article_id))
    if not docs:
        return []
    number = {doc: n for n, doc in enumerate(docs)}
    scores = passage_scores(searcher, query, docs)
    best = sorted(scores, key=lambda d: (-scores[d], d))[:CANDIDATES]
    best.sort(key=lambda d: -scores[d] * (1 + LEAD_PRIOR / (1 + number[d])))
    chosen = best[:SNIPPETS_PER_HIT] or docs[:1]
    schema = searcher.schema
    terms, sequences = marks
    out = []
    for doc in chosen:
        stored = searcher.stored_fields(doc)
        text = stored["data"]["text"]
        spans = find_spans(
            text, terms, sequences, schema["body"].analyzer, schema["exact"].analyzer
        )
        out.append(Snippet(passage=int(stored["passage"]), html=excerpt(text, spans)))
    return out
