"""From what a user typed to a Whoosh query.

The query string is split into quoted phrases and free text, and each part is
run through the *fields' own analyzers* (``schema[...].process_text``): no
second normalisation path exists. The free text becomes one concept per
analysed term, all required (AND); each concept matches its term or, weighted
lower, its dictionary translations into the other language. Quoted phrases
match the ``exact`` field (canonical characters and words), so a phrase, or a
fragment pasted with its ends cut through words, finds its passage.

Nothing the user types is query syntax: colons, stars, brackets and field names
are text like any other, and every term goes to the fields chosen here. The cost
of a query is bounded before it runs: a word or phrase typed twice counts once,
and a query over MAX_WORDS distinct words, MAX_PHRASES distinct phrases or, once
expanded (translations, name forms, fragments), MAX_TERMS distinct terms is
refused with `QueryTooCostly`, which says what to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from whoosh.fields import Schema
from whoosh.query import And, NullQuery, Or, Phrase, Query, Term

from corpus_search.analysis import ENTITY_PREFIX, form_terms, is_han, latin_words, surface_tag
from corpus_search.errors import QueryError, QueryTooCostly, shown
from corpus_search.lexicon import Lexicon
from corpus_search.normalise import HAN, canonical_key
from corpus_search.translate import NoTranslation, Translator

__all__ = [
    "Highlights",
    "ParsedQuery",
    "QueryBuilder",
    "parse_query",
    "query_language",
    "leaves",
    "MAX_WORDS",
    "MAX_PHRASES",
    "MAX_TERMS",
]

_QUOTES = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?')
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # as spaces: pasted tabs, stray NULs
TEXT_FIELDS = ("title", "body")
TRANSLATION_WEIGHT = 0.35
TRANSLATION_SPREAD = 0.7
SURFACE_BOOST = 0.6
LANGUAGE_BOOST = 0.25
MAX_FRAGMENT_EXPANSIONS = 12
MAX_WORDS = 64  # distinct words of the free text, after analysis
MAX_NAME_WORDS = 4  # longest Latin spelling of a found person's name, in words
MAX_PHRASES = 8  # distinct quoted phrases
MAX_TERMS = 1024  # distinct (field, term) pairs of the expanded query


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    free_text: str
    phrases: tuple[str, ...]


def parse_query(raw: str, max_length: int = 500) -> ParsedQuery:
    """Split a query into free text and quoted phrases (each distinct phrase once);
    reject what can't be searched."""
    text = _CONTROLS.sub(" ", raw or "").strip()
    if not text:
        raise QueryError("The query is empty: type a name, a topic or a phrase to search for.")
    if len(text) > max_length:
        raise QueryError(
            f"The query is {len(text)} characters long; the limit is {max_length}. "
            "Search for a shorter phrase."
        )
    _check_encodable(text)
    found = (p.strip() for m in _QUOTES.finditer(text) for p in m.groups() if p)
    phrases = tuple(dict.fromkeys(p for p in found if p))
    if len(phrases) > MAX_PHRASES:
        raise QueryTooCostly(
            f"The query has {len(phrases)} different quoted phrases; the limit is "
            f"{MAX_PHRASES}. Keep the phrases that matter most."
        )
    free = " ".join(_QUOTES.sub(" ", text).split())
    return ParsedQuery(raw=text, free_text=free, phrases=phrases)


def _check_encodable(text: str) -> None:
    """Lone surrogates (undecodable bytes passed through, as from a command line) are
    not text: say so rather than search for something else."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise QueryError(
            f"The query holds a character that is not valid text (U+{code:04X}, at "
            f"position {exc.start + 1}): retype it, or check the terminal's encoding."
        ) from exc


def query_language(text: str) -> str:
    """'zh' when the query has Chinese characters, else 'en'."""
    return "zh" if is_han(text) else "en"


Highlights = tuple[set[str], list[list[str]]]


@dataclass
class Concept:
    """One required unit of a query: a term and what else may stand for it."""

    term: str
    surface: str
    alternatives: list[Query] = field(default_factory=list)


class QueryBuilder:
    """Builds Whoosh queries from parsed user queries against one schema."""

    def __init__(
        self,
        schema: Schema,
        translator: Translator | NoTranslation,
        known: set[str],
        lexicon: Lexicon,
        known_exact: set[str] | None = None,
        found_names: dict[str, str] | None = None,
    ) -> None:
        self.schema = schema
        self.lexicon = lexicon
        # People found in the build's text (not in the lexicon): the canonical key of
        # each Latin form of a name (lin xiaofeng) -> the name in canonical Han (林晓峰),
        # and back (the first Latin form of each Han name: its English name).
        self.found_names = found_names or {}
        self.found_spellings: dict[str, str] = {}
        for latin, han in self.found_names.items():
            self.found_spellings.setdefault(han, latin)
        self.translator = translator
        self.known = known  # terms of the body field, for pruning translations
        # Latin words of the exact field, for phrases pasted with their ends cut off.
        self.latin_words = sorted(w for w in known_exact or () if w.isascii())
        self.latin_set = set(self.latin_words)

    # -- analysis, always through the schema's own analyzers ------------------
    def terms(self, text: str) -> list[tuple[str, str]]:
        """(term, surface) per position of the free text, query mode."""
        tokens = self.schema["body"].analyzer(text, mode="query", positions=True)
        seen: dict[int, tuple[str, str]] = {}
        for t in tokens:
            seen.setdefault(t.pos, (t.text, t.original or t.text))
        return list(seen.values())

    def exact_terms(self, text: str) -> list[str]:
        return list(self.schema["exact"].process_text(text, mode="query"))

    # -- building blocks -------------------------------------------------------
    def exact_phrase(self, text: str, boost: float = 1.0) -> Query | None:
        words = self.exact_terms(text)
        if not words:
            return None
        if len(words) == 1:
            return Term("exact", words[0], boost=boost)
        return Phrase("exact", words, boost=boost)

    def fragment(self, text: str, boost: float = 1.0) -> Query | None:
        """A quoted phrase whose first or last Latin word may be cut off ("lobal e-commerce
        plat" finds "global e-commerce platform"): an unknown edge word stands for the
        indexed words that end (first) or start (last) with it."""
        words = self.exact_terms(text)
        if not words:
            return None
        first = self._edge(words[0], lambda w, part: w.endswith(part), len(words) == 1)
        last = self._edge(words[-1], lambda w, part: w.startswith(part), len(words) == 1)
        if len(words) == 1:
            options = [[w] for w in sorted(set(first) | set(last))]
        else:
            options = [[a, *words[1:-1], b] for a in first for b in last]
        queries: list[Query] = [
            Phrase("exact", o, boost=boost) if len(o) > 1 else Term("exact", o[0], boost=boost)
            for o in options[:MAX_FRAGMENT_EXPANSIONS]
        ]
        return queries[0] if len(queries) == 1 else Or(queries)

    def _edge(self, word: str, fits: Callable[[str, str], bool], alone: bool) -> list[str]:
        if not word.isascii() or not self.latin_words or word in self.latin_set:
            return [word]
        found = [w for w in self.latin_words if fits(w, word) or (alone and word in w)]
        return found[:MAX_FRAGMENT_EXPANSIONS] or [word]

    def text_match(self, terms: list[str], boost: float = 1.0) -> Query:
        if len(terms) == 1:
            return Or([Term(f, terms[0], boost=boost) for f in TEXT_FIELDS])
        return Or([Phrase(f, terms, boost=boost) for f in TEXT_FIELDS])

    def concepts(self, free_text: str) -> list[Concept]:
        """One concept per distinct (term, surface) of the free text, in order."""
        concepts = []
        for term, surface in self.distinct_terms(free_text):
            concept = Concept(term=term, surface=surface)
            concept.alternatives = self.translations(term, surface)
            if term.startswith(ENTITY_PREFIX) and surface:
                entity_id = term[len(ENTITY_PREFIX) :]
                tags = {
                    surface_tag(entity_id, form_terms(f)) for f in self.surface_forms(term, surface)
                }
                concept.alternatives += [self.text_match([t], SURFACE_BOOST) for t in sorted(tags)]
            elif term in self.found_spellings:
                spelled = self.text_match([t for t, _ in self.terms(self.found_spellings[term])])
                concept.alternatives.append(spelled)
            if is_han(term) and term not in self.known and not term.startswith(ENTITY_PREFIX):
                # A word the index never saw as a word (segmented differently in
                # context) still matches where its characters occur together.
                literal = self.exact_phrase(term)
                if literal is not None:
                    concept.alternatives.append(literal)
            concepts.append(concept)
        return self._found_name_runs(concepts)

    def _found_name_runs(self, concepts: list[Concept]) -> list[Concept]:
        """A run of Latin words that spells a person found in the text (Lin Xiaofeng)
        becomes one concept, matched by the words together or by the Han name (林曉峰,
        in either script): the analyzer tags only the lexicon's names."""
        if not self.found_names:
            return concepts
        out, i = [], 0
        while i < len(concepts):
            for size in range(min(MAX_NAME_WORDS, len(concepts) - i), 0, -1):
                run = concepts[i : i + size]
                han = self.found_names.get(" ".join(c.surface.lower() for c in run))
                if han is not None and all(c.surface.isascii() for c in run):
                    out.append(self._name_concept(run, han))
                    i += size
                    break
            else:
                out.append(concepts[i])
                i += 1
        return out

    def _name_concept(self, run: list[Concept], han: str) -> Concept:
        words = [self.concept_query(c) for c in run]
        spelled = And(words) if len(words) > 1 else words[0]
        alternatives = [spelled] + [q for q in [self.exact_phrase(han)] if q is not None]
        surface = " ".join(c.surface for c in run)
        return Concept(term=han, surface=surface, alternatives=alternatives)

    def distinct_terms(self, free_text: str) -> list[tuple[str, str]]:
        """The (term, surface) pairs of the free text, each once; QueryTooCostly over
        MAX_WORDS (before any is translated)."""
        found = list(dict.fromkeys(self.terms(free_text)))
        if len(found) > MAX_WORDS:
            raise QueryTooCostly(
                f"The query has {len(found)} different words; the limit is {MAX_WORDS}. "
                "Search for fewer words, or put a passage in quotes to find it as a phrase."
            )
        return found

    def surface_forms(self, term: str, surface: str) -> list[str]:
        """The forms to prefer for a name as typed: the form itself or, for a nickname
        (花名), every nickname form, so 逍遙子 prefers text saying Xiaoyao Zi."""
        entity = self.lexicon.entities.get(term[len(ENTITY_PREFIX) :])
        if entity is None:
            return [surface]
        nicknames = {canonical_key(n) for n in entity.nicknames}
        if canonical_key(surface) in nicknames:
            return list(entity.nicknames)
        return [surface]

    def translations(self, term: str, surface: str) -> list[Query]:
        """Dictionary translations of one word into the other language.

        Kept only when they are among the word's best translations (within
        TRANSLATION_SPREAD of the top one, whether or not the corpus has that one)
        and translate back to the word (film -> 视频 -> video is dropped)."""
        if term.startswith(ENTITY_PREFIX) or (is_han(term) and len(term) < 2):
            return []  # single characters are too ambiguous to translate
        if is_han(term):
            options = [(" ".join(w), weight) for w, weight in self.translator.zh_to_en(term)]
        elif surface.isalpha():
            options = self.translator.en_to_zh([surface])
        else:
            return []
        top = max((weight for _, weight in options), default=0.0)
        found: list[Query] = []
        for text, weight in options:
            if weight < top * TRANSLATION_SPREAD or not self._round_trips(text, term, surface):
                continue
            terms = [t for t, _ in self.terms(text)]
            if terms and all(t in self.known for t in terms):
                found.append(self.text_match(terms, boost=weight * TRANSLATION_WEIGHT))
        return found

    def _round_trips(self, translation: str, term: str, surface: str) -> bool:
        """Does the translation translate back to the word it came from?"""
        if is_han(term):
            back = {zh for zh, _ in self.translator.en_to_zh(translation.split())}
            return term in back
        stems = {t for t, _ in self.terms(surface)}
        glosses = self.translator.zh_to_en(translation)
        return any(stems & {t for t, _ in self.terms(" ".join(words))} for words, _ in glosses)

    def concept_query(self, concept: Concept) -> Query:
        return Or([self.text_match([concept.term]), *concept.alternatives])

    # -- whole queries ---------------------------------------------------------
    def required(self, parsed: ParsedQuery, concepts: list[Concept] | None = None) -> Query:
        """Everything the query asks for, all parts required (``concepts``: those of
        its free text, when the caller has them already)."""
        parts: list[Query] = []
        if parsed.free_text:
            concepts = self.concepts(parsed.free_text) if concepts is None else concepts
            words = [self.concept_query(c) for c in concepts]
            alternatives: list[Query] = []
            if words:
                alternatives.append(And(words) if len(words) > 1 else words[0])
            whole = self.exact_phrase(parsed.free_text) if words else None  # not stop words alone
            if whole is not None and len(self.exact_terms(parsed.free_text)) > 1:
                if not self._stands_alone(concepts) and not _spaced_chinese(parsed.free_text):
                    alternatives.append(whole)
            alternatives += self.phrase_translations(parsed.free_text, concepts)
            if alternatives:
                parts.append(Or(alternatives) if len(alternatives) > 1 else alternatives[0])
        parts += self.phrase_parts(parsed.phrases)
        if not parts:
            return NullQuery
        return And(parts) if len(parts) > 1 else parts[0]

    def phrase_parts(self, phrases: tuple[str, ...], boost: float = 1.0) -> list[Query]:
        """The quoted phrases as queries, each distinct one once (张勇 and 張勇 are one)."""
        found = (self.fragment(p, boost) for p in phrases)
        return list(dict.fromkeys(q for q in found if q is not None))

    def _stands_alone(self, concepts: list[Concept]) -> bool:
        """One name, or one word the index knows: the query as a phrase would only
        repeat it (and cost a phrase search over every article that has it)."""
        if len(concepts) != 1:
            return False
        term = concepts[0].term
        return term.startswith(ENTITY_PREFIX) or term in self.known

    def phrase_translations(self, free_text: str, concepts: list[Concept]) -> list[Query]:
        """A short English phrase may translate as a whole (cloud computing -> 云计算)."""
        words = latin_words(free_text)
        if is_han(free_text) or not 2 <= len(words) <= 3:
            return []
        if any(c.term.startswith(ENTITY_PREFIX) for c in concepts):
            return []
        found: list[Query] = []
        for zh, weight in self.translator.en_to_zh(words):
            terms = [t for t, _ in self.terms(zh)]
            if terms and all(t in self.known for t in terms):
                found.append(self.text_match(terms, boost=weight * TRANSLATION_WEIGHT))
        return found

    def ranked(self, parsed: ParsedQuery, concepts: list[Concept] | None = None) -> Query:
        """The query to rank by: everything it asks for (see `required`)."""
        required = self.required(parsed, concepts)
        if required is NullQuery:
            raise QueryError(
                f"Nothing to search for in {shown(parsed.raw)}: common words (the, of, 的 …) "
                "and punctuation are not searched on their own; add a word or a name, or put "
                'the words in "quotes" to find them as a phrase.'
            )
        return required

    def any_part(self, parsed: ParsedQuery, concepts: list[Concept] | None = None) -> Query:
        """Any single part of the query: for choosing the passages to show."""
        parts: list[Query] = []
        if parsed.free_text:
            concepts = self.concepts(parsed.free_text) if concepts is None else concepts
            parts += [self.concept_query(c) for c in concepts]
            whole = self.exact_phrase(parsed.free_text, boost=2.0)
            if whole is not None:
                parts.append(whole)
        parts += self.phrase_parts(parsed.phrases, boost=2.0)
        return Or(parts) if parts else NullQuery

    def check_cost(self, *queries: Query) -> None:
        """QueryTooCostly when the queries name over MAX_TERMS distinct terms."""
        terms = {
            (str(q.fieldname), str(w))
            for query in queries
            for q, _ in leaves(query)
            for w in (q.words if isinstance(q, Phrase) else [q.text])
        }
        if len(terms) > MAX_TERMS:
            raise QueryTooCostly(
                f"The query expands to {len(terms)} different search terms (its words, "
                f"their translations and its phrases); the limit is {MAX_TERMS}. "
                "Search for fewer words or shorter phrases."
            )

    def highlight_terms(self, any_part: Query) -> Highlights:
        """Body-field terms to mark, and exact-field sequences (phrases) to mark, of a
        query built by `any_part`."""
        terms: set[str] = set()
        sequences: list[list[str]] = []  # each distinct sequence once
        for q, _ in leaves(any_part):
            if isinstance(q, Phrase):
                if q.fieldname == "exact" and list(q.words) not in sequences:
                    sequences.append(list(q.words))
                else:
                    terms.update(q.words)
            elif isinstance(q, Term):
                if q.fieldname == "exact" and [str(q.text)] not in sequences:
                    sequences.append([str(q.text)])
                elif q.fieldname in TEXT_FIELDS:
                    terms.add(str(q.text))
        return terms, sequences


_SPACED_HAN = re.compile(f"[{HAN}]\\s+[{HAN}]")


def _spaced_chinese(text: str) -> bool:
    """Chinese words the user separated by spaces (天猫 直播): they asked for the
    words, not for the characters in a row, so the whole is not searched as a phrase."""
    return bool(_SPACED_HAN.search(text))


def leaves(q: Query, boost: float = 1.0) -> Iterator[tuple[Term | Phrase, float]]:
    """Every term and phrase of a query tree, with the boost it carries there."""
    if isinstance(q, Phrase | Term):
        yield q, boost * q.boost
        return
    for child in q.children():
        yield from leaves(child, boost * getattr(q, "boost", 1.0))
