"""Every form field drawn with the design system's classes (the US Web Design System).

One place gives each widget its class: the renderer's bound field, which every form of the
portal and of allauth uses (settings.FORM_RENDERER). Templates that write a control by hand
write the same classes.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

# A widget's input type → the design system's class for it.
_CLASS_BY_INPUT_TYPE = {
    "checkbox": "usa-checkbox__input",
    "radio": "usa-radio__input",
    "select": "usa-select",
    "file": "",
    "hidden": "",
}


def widget_class(widget: forms.Widget) -> str:
    """The design system's class of a widget: an input, a text area, a list, a box."""
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "usa-checkbox__input"
    if isinstance(widget, forms.Select):
        return "usa-select"
    return _CLASS_BY_INPUT_TYPE.get(getattr(widget, "input_type", ""), "usa-input")


class DesignSystemBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css_class = widget_class(widget or self.field.widget)
        own = attrs.get("class") or (widget or self.field.widget).attrs.get("class", "")
        if css_class and css_class not in own.split():
            attrs["class"] = f"{css_class} {own}".strip()
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = DesignSystemBoundField
