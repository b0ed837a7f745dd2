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
    name = ref.rsplit("/", 1)[-1]
    # pydantic names a generic page "Page_RiskOut_"; the page says what it is.
    if name.startswith("Page_") and name.endswith("_"):
        return f"Page[{name[5:-1]}]"
    return name


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
    if kind == "object" and schema.get("properties"):
        required = set(schema.get("required", []))
        fields = [
            f"{n} ({type_label(p)}{', krävs' if n in required else ''})"
            for n, p in schema["properties"].items()
        ]
        return "fälten " + ", ".join(fields)
    if kind == "array":
        return f"lista av {type_label(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind or "objekt")


def _body(operation: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(media type, what the body is, the anchor of its schema on the page or "")."""
    content = operation.get("requestBody", {}).get("content", {})
    out = []
    for media, spec in content.items():
        schema = spec.get("schema", {})
        anchor = _ref_name(schema["$ref"]) if "$ref" in schema else ""
        out.append((media, type_label(schema), anchor))
    return out


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
                    "status": str(code),
                    "text": STATUS_TEXT.get(str(code), ""),
                    "type": ", ".join(type_label(c.get("schema", {})) for c in r.get("content", {}).values()),
                }
                for code, r in sorted(op.get("responses", {}).items(), key=lambda item: str(item[0]))
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
                "name": _ref_name(name),
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
