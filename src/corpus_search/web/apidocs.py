"""A readable API reference, rendered server-side from the app's OpenAPI schema.

FastAPI's own /docs page loads Swagger UI from a CDN; this one needs nothing from
outside: every endpoint with its parameters (and a plain HTML form to try it),
its responses, and every response model with its fields, linked together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from corpus_search.config import Settings

__all__ = [
    "PARAMETER_NOTES",
    "DocsPage",
    "Endpoint",
    "Model",
    "Parameter",
    "Response",
    "TypeLabel",
    "docs_context",
    "constrain",
]


# What a parameter means, where the schema itself does not say.
PARAMETER_NOTES = {
    "q": "The query, in Traditional or Simplified Chinese or English: every word must occur; "
    '"…" makes a phrase.',
    "executive": "Only articles that mention this person: an id or any form of the name "
    "(see /api/executives).",
    "topic": "Only articles about this topic or event (an id from the facets).",
    "lang": "Only articles written in zh-Hant, zh-Hans or en.",
    "source": "Only articles from this publication (a value from the facets).",
    "year": "Only articles dated in this year, e.g. 2016.",
    "format": "json, or csv for the same results as CSV.",
    "speaker": "Only quotes of this person: an id or any form of the name.",
    "article_id": "The article's id, as in search results (`id`).",
}


@dataclass(frozen=True)
class TypeLabel:
    text: str  # "array of ResultItem", "string or null"
    url: str | None = None  # the model it refers to


@dataclass
class Parameter:
    name: str
    where: str  # query, path
    type: TypeLabel
    required: bool
    default: str
    description: str
    input_id: str
    constraints: str = ""  # "one of json, csv", "at least 1", "not blank" …


@dataclass
class Response:
    status: str
    description: str
    media: str
    type: TypeLabel | None


@dataclass
class Endpoint:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Parameter]
    responses: list[Response]
    form: bool  # every parameter is a query parameter: a GET form can try it
    example_url: str | None
    example_label: str  # the example as typed (not percent-encoded)


@dataclass
class FieldDoc:
    name: str
    type: TypeLabel
    required: bool
    description: str


@dataclass
class Model:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]


@dataclass
class DocsPage:
    title: str
    version: str
    description: str
    endpoints: list[Endpoint]
    models: list[Model]
    json_url: str = "/openapi.json"
    toc: list[tuple[str, str]] = field(default_factory=list)  # (label, #anchor)


def _model_anchor(name: str) -> str:
    return f"model-{name}"


def type_label(schema: dict[str, Any]) -> TypeLabel:
    """A short description of a JSON schema, linking to the model it names."""
    if ref := schema.get("$ref"):
        name = str(ref).rsplit("/", 1)[-1]
        return TypeLabel(name, f"#{_model_anchor(name)}")
    if options := schema.get("anyOf"):
        labels = [type_label(o) for o in options]
        url = next((lab.url for lab in labels if lab.url), None)
        return TypeLabel(" or ".join(lab.text for lab in labels), url)
    kind = schema.get("type", "any")
    if kind == "array":
        inner = type_label(schema.get("items", {}))
        return TypeLabel(f"array of {inner.text}", inner.url)
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        inner = type_label(schema["additionalProperties"])
        return TypeLabel(f"object of {inner.text}", inner.url)
    return TypeLabel(str(kind))


def _parameter(raw: dict[str, Any], anchor: str) -> Parameter:
    schema = raw.get("schema", {})
    default = schema.get("default")
    return Parameter(
        name=raw["name"],
        where=raw.get("in", "query"),
        type=type_label(schema),
        required=bool(raw.get("required")),
        default="" if default is None else str(default),
        description=raw.get("description")
        or schema.get("description")
        or PARAMETER_NOTES.get(raw["name"], ""),
        input_id=f"{anchor}-{raw['name']}",
        constraints=constraints(schema),
    )


_RULES = (
    ("minimum", "at least {}"),
    ("maximum", "at most {}"),
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
)


def constraints(schema: dict[str, Any]) -> str:
    """What a parameter's schema allows, in words."""
    parts: list[str] = []
    for option in [schema, *schema.get("anyOf", [])]:
        if enum := option.get("enum"):
            parts.append("one of " + ", ".join(map(str, enum)))
        parts += [text.format(option[key]) for key, text in _RULES if key in option]
        if option.get("pattern") == r"\S":
            parts.append("not blank")
    return "; ".join(parts)


def _responses(raw: dict[str, Any]) -> list[Response]:
    out = []
    for status, response in sorted(raw.items()):
        content = response.get("content") or {}
        media, body = next(iter(content.items()), ("", {}))
        schema = (body or {}).get("schema")
        out.append(
            Response(
                status,
                response.get("description", ""),
                media,
                type_label(schema) if schema else None,
            )
        )
    return out


def _endpoints(schema: dict[str, Any], examples: dict[str, str]) -> list[Endpoint]:
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            anchor = op.get("operationId") or f"{method}-{path}"
            params = [_parameter(p, anchor) for p in op.get("parameters", [])]
            endpoints.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    anchor=anchor,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    parameters=params,
                    responses=_responses(op.get("responses", {})),
                    form=method == "get" and all(p.where == "query" for p in params),
                    example_url=examples.get(path),
                    example_label=unquote(examples.get(path, "")),
                )
            )
    return endpoints


def _models(schema: dict[str, Any]) -> list[Model]:
    models = []
    for name, model in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(model.get("required", []))
        fields = [
            FieldDoc(key, type_label(prop), key in required, prop.get("description", ""))
            for key, prop in model.get("properties", {}).items()
        ]
        models.append(Model(name, _model_anchor(name), model.get("description", ""), fields))
    return models


def docs_context(schema: dict[str, Any], examples: dict[str, str] | None = None) -> DocsPage:
    info = schema.get("info", {})
    endpoints = _endpoints(schema, examples or {})
    return DocsPage(
        title="API reference",
        version=str(info.get("version", "")),
        description=str(info.get("description", "")),
        endpoints=endpoints,
        models=_models(schema),
        toc=[(f"{e.method} {e.path}", f"#{e.anchor}") for e in endpoints],
    )


def constrain(schema: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """State the limits that are settings in the schema (in place; idempotent): the
    longest query and the largest page size this server accepts."""
    limits = {
        "q": {"maxLength": settings.max_query_length},
        "per_page": {"maximum": settings.max_per_page},
    }
    for operations in schema.get("paths", {}).values():
        for op in operations.values():
            for param in op.get("parameters", []):
                if param.get("in") == "query" and param.get("name") in limits:
                    param.setdefault("schema", {}).update(limits[param["name"]])
    return schema
