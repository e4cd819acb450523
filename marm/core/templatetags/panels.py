"""``{% panels panels.side %}`` renders each panel an app registered for a page region."""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, shown):
    request = context.get("request")
    base = context.flatten()
    return format_html_join(
        "\n", "{}", ((get_template(panel.template).render({**base, **panel.context}, request),) for panel in shown)
    )
