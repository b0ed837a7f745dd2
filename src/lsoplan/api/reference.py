"""The OpenAPI document turned into rows a template can show (the reference page)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
STATUS_TEXT = {
    "200": "OK",
    "201": "Skapad",
    "202": "Mottagen (körs som jobb)",
    "304": "Oförändrad (ETag)",
    "400": "Felaktig begäran",
    "401": "Nyckel saknas eller ogiltig",
    "403": "Inte tillåtet (läsnyckel eller läsarroll)",
    "404": "Finns inte (eller annan organisation)",
    "409": "Versionen är antagen",
    "413": "För stor",
    "422": "Ogiltigt värde",
    "429": "För många anrop",
}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_label(schema: dict[str, Any]) -> str:
    """A short, readable type: "integer", "Page[RiskOut]", "planerad | pagaende", "list of integer"."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    if "anyOf" in schema:
        return " eller ".join(type_label(s) for s in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"lista av {type_label(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind or "objekt")


def _body(operation: dict[str, Any]) -> list[tuple[str, str]]:
    content = operation.get("requestBody", {}).get("content", {})
    return [(media, type_label(spec.get("schema", {}))) for media, spec in content.items()]


def operations(document: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path, item in document.get("paths", {}).items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "where": {"path": "sökväg", "query": "fråga"}.get(p.get("in"), p.get("in")),
                    "required": p.get("required", False),
                    "type": type_label(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            responses = [
                {
                    "status": code,
                    "text": STATUS_TEXT.get(code, ""),
                    "type": ", ".join(type_label(c.get("schema", {})) for c in r.get("content", {}).values()),
                }
                for code, r in sorted(op.get("responses", {}).items())
            ]
            groups[(op.get("tags") or ["Övrigt"])[0]].append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body": _body(op),
                    "responses": responses,
                    "anchor": op.get("operationId", f"{method}-{path}"),
                }
            )
    return list(groups.items())


def schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        out.append(
            {
                "name": name,
                "fields": [
                    {
                        "name": field,
                        "type": type_label(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                    }
                    for field, spec in schema.get("properties", {}).items()
                ],
            }
        )
    return out
