"""Every form field drawn with the design system's classes (the US Web Design System).

One place gives each widget its class: the renderer's bound field, which every form of the
portal and of allauth uses (settings.FORM_RENDERER). Templates that write a control by hand
write the same classes.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates


def widget_class(widget: forms.Widget) -> str:
    """The design system's class of a widget: an input, a text area, a list, a box; none
    for a file or a hidden field."""
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    if isinstance(widget, forms.Select):
        return "usa-select"
    kind = getattr(widget, "input_type", "")
    if kind in ("checkbox", "radio"):  # a box, or each box of a list of them
        return f"usa-{kind}__input"
    return "" if kind in ("file", "hidden") else "usa-input"


class DesignSystemBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css_class = widget_class(widget)
        own = attrs.get("class") or widget.attrs.get("class", "")
        if css_class and css_class not in own.split():
            attrs["class"] = f"{css_class} {own}".strip()
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = DesignSystemBoundField
