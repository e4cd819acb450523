"""The register's alert on the person page: an include the people template adds."""

from django import template

from marm.register.selectors import register_flags_for_person

register = template.Library()


@register.inclusion_tag("register/_banner.html", takes_context=True)
def register_banner(context, person):
    """000 Appendix C: "An Alert must be added on to the client record system file to
    reflect high risk status." Shown to everyone who can see the person; removal
    from the register clears it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    flags = register_flags_for_person(user=user, person=person) if user is not None else []
    return {
        "flags": flags,
        "person": person,
        "can_add": user is not None and user.has_perm("register.manage_entry"),
        "can_report": user is not None and user.has_perm("register.report_support_not_delivered"),
    }
