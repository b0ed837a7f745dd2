"""``{% versionpart "name" version extra… %}…{% endversionpart %}``: a part of a page made from one
programme version's data, rendered once per data version.

The part is kept under the version's scope (``audit.dataversion``): any write to the version's
content, to the shared data (a measurement, an import, the version itself) or to reference data
makes a new key, so the part is never stale. ``{% organisationpart … %}`` is the same for a part
that may read any of the organisation's data (other versions too, as the egenkontroll does): every
write to the organisation makes it anew.

Everything else the part shows must be named after the version, as plain values (``can_edit``, a
filter's value, the day): a part must not hold a CSRF token, a message or anything else of the one
request. With the page cache off, or the cache failing, the part is rendered each time.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from lsoplan.audit import dataversion

register = template.Library()


class PartNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: str,
        version: FilterExpression,
        vary: list[FilterExpression],
        whole: bool,
    ):
        self.nodelist, self.name, self.version, self.vary, self.whole = nodelist, name, version, vary, whole

    def render(self, context: template.Context) -> SafeString:
        version = self.version.resolve(context)
        parts = (version.pk, *(v.resolve(context) for v in self.vary))
        html = dataversion.cached(
            version.organisation_id,
            f"part:{self.name}",
            repr(parts),
            lambda: str(self.nodelist.render(context)),
            scope=dataversion.ALL if self.whole else version.pk,
        )
        return mark_safe(html)  # the template's own output, escaped when it was rendered


def _part(parser: Parser, token: Token, whole: bool) -> PartNode:
    bits = token.split_contents()
    tag = bits[0]
    if len(bits) < 3 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f'{{% {tag} "namn" version [mer …] %}}')
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    vary = [parser.compile_filter(b) for b in bits[3:]]
    return PartNode(nodelist, bits[1][1:-1], parser.compile_filter(bits[2]), vary, whole)


@register.tag("versionpart")
def versionpart(parser: Parser, token: Token) -> PartNode:
    return _part(parser, token, whole=False)


@register.tag("organisationpart")
def organisationpart(parser: Parser, token: Token) -> PartNode:
    return _part(parser, token, whole=True)
