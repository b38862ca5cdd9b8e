"""Snippets: each result's best passages, found only among its own passages.

The passages of the page's articles are looked up by article id; the query
("any part" of it) is matched against just those documents by skipping one
matcher from one to the next, so the cost follows the page, not the corpus.
Among equally good passages the earlier one wins (a mild lead prior: a name or
idea is usually introduced early). Matches are marked from the characters the
index keeps for each occurrence, in the text as written: nothing is re-analysed.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.query import Query
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from corpus_search.highlight import Span, excerpt, merge_spans
from corpus_search.models import Snippet
from corpus_search.query import Highlights

__all__ = ["SNIPPETS_PER_HIT", "LEAD_PRIOR", "marked_spans", "passage_scores", "page_snippets"]

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
            if matcher.is_active() and matcher.id() < doc:
                matcher.skip_to(doc)
            if not matcher.is_active():
                break
            if matcher.id() == doc:
                scores[doc + offset] = matcher.score()
    return scores


def _occurrences(
    reader: IndexReader, field: str, text: str, docs: list[int]
) -> Iterator[tuple[int, list[tuple[int, int, int]]]]:
    """(doc, [(position, start, end)…]) for the sorted ``docs`` that hold the term."""
    if (field, text) not in reader:
        return
    matcher = reader.postings(field, text)
    for doc in docs:
        if matcher.is_active() and matcher.id() < doc:
            matcher.skip_to(doc)
        if not matcher.is_active():
            return
        if matcher.id() == doc:
            yield doc, matcher.value_as("characters")


def marked_spans(reader: IndexReader, docs: list[int], marks: Highlights) -> dict[int, list[Span]]:
    """Character spans to mark in each document: its occurrences of the query's
    body terms, and of its exact-field sequences (phrases) word after word."""
    terms, sequences = marks
    wanted = sorted(set(docs))
    spans: dict[int, list[Span]] = {d: [] for d in wanted}
    for term in sorted(terms):
        for doc, found in _occurrences(reader, "body", term, wanted):
            spans[doc] += [(s, e) for _, s, e in found]
    for words in sequences:
        if words:
            _sequence_spans(reader, words, wanted, spans)
    return {d: merge_spans(found) for d, found in spans.items()}


def _sequence_spans(
    reader: IndexReader, words: list[str], docs: list[int], spans: dict[int, list[Span]]
) -> None:
    per_word = [dict(_occurrences(reader, "exact", w, docs)) for w in words]
    for doc in docs:
        if not all(doc in found for found in per_word):
            continue
        ends = [{p: e for p, _, e in found[doc]} for found in per_word]
        for pos, start, _ in per_word[0][doc]:
            if all(pos + i in ends[i] for i in range(1, len(words))):
                spans[doc].append((start, ends[-1][pos + len(words) - 1]))


def page_snippets(
    searcher: Searcher, query: Query, marks: Highlights, article_ids: list[str]
) -> dict[str, list[Snippet]]:
    """Up to SNIPPETS_PER_HIT marked passages of each article, for ``query``."""
    passages = {a: sorted(searcher.document_numbers(article_id=a)) for a in article_ids}
    every = sorted(d for docs in passages.values() for d in docs)
    scores = passage_scores(searcher, query, every)
    chosen: dict[str, list[int]] = {}
    for article_id, docs in passages.items():
        number = {doc: n for n, doc in enumerate(docs)}
        best = sorted((d for d in docs if d in scores), key=lambda d: (-scores[d], d))
        best = best[:CANDIDATES]
        best.sort(key=lambda d: -scores[d] * (1 + LEAD_PRIOR / (1 + number[d])))
        chosen[article_id] = best[:SNIPPETS_PER_HIT] or docs[:1]
    spans = marked_spans(searcher.reader(), [d for ds in chosen.values() for d in ds], marks)
    out: dict[str, list[Snippet]] = {}
    for article_id, docs in chosen.items():
        out[article_id] = []
        for doc in docs:
            stored = searcher.stored_fields(doc)
            text = stored["data"]["text"]
            snippet = Snippet(passage=int(stored["passage"]), html=excerpt(text, spans[doc]))
            out[article_id].append(snippet)
    return out
