from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field as GOV.UK Design System components."""

    form_template_name = "govuk_forms/form.html"
    field_template_name = "govuk_forms/field.html"
