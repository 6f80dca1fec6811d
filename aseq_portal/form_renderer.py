"""Django's form renderer, with its smallest templates written in Python.

Django renders every label, input, select and option through a template of its own
(``django/forms/label.html``, ``widgets/input.html`` including ``widgets/attrs.html``,
``widgets/select.html`` including ``select_option.html`` per option): a form of nine
fields was about 20 M instructions of the profile page (bench/instructions.py). The
templates below are simple enough to write as functions that give the same bytes
(tests/aseq_portal/test_form_renderer.py compares both ways on every member form);
anything else, and any template an app overrides, goes through Django's templates.

Settings: ``FORM_RENDERER = "aseq_portal.form_renderer.FormRenderer"``.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe


def _text(value) -> str:
    """``{{ value }}`` with autoescaping."""
    return str(conditional_escape(value))


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe."""
    text = str(value)  # what "%s" gives (Django turns a tuple into str first)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: dict) -> str:
    """``django/forms/attrs.html`` and ``widgets/attrs.html``."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """``widgets/input.html`` (and text, email, checkbox... which only include it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _label(context: dict) -> str:
    """``django/forms/label.html``."""
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>"


_OPTION = "django/forms/widgets/select_option.html"


def _select(widget: dict) -> str | None:
    """``widgets/select.html`` with ``select_option.html`` for each option."""
    html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # a widget of our own: its template decides
            html.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _field(field) -> str:
    """``django/forms/field.html`` (a field's label, help text, errors and widget)."""
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_text(described)}"' if described else ""
        head = f"\n  <fieldset{described}>\n  {field.legend_tag() if field.label else ''}\n"
    else:
        head = f"\n  {field.label_tag() if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        named = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{named}>{field.help_text}</div>'
    errors = field.errors
    return (
        f"{head}\n{help_text}\n{errors if errors else ''}\n{field}"
        f"{'</fieldset>' if field.use_fieldset else ''}\n"
    ).strip()


_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    )
}


class FormRenderer(DjangoTemplates):
    """DjangoTemplates, with the field, label, input and select templates in Python."""

    def render(self, template_name, context, request=None):
        if template_name in _INPUTS:
            return mark_safe(_input(context["widget"]))  # noqa: S308  # nosec B308 B703 - every part escaped above, as the templates do
        if template_name == "django/forms/field.html" and context.keys() == {"field"}:
            return mark_safe(_field(context["field"]))  # noqa: S308  # nosec B308 B703 - every part escaped above, as the templates do
        if template_name == "django/forms/label.html":
            return mark_safe(_label(context))  # noqa: S308  # nosec B308 B703 - every part escaped above, as the templates do
        if template_name == "django/forms/widgets/select.html":
            html = _select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308  # nosec B308 B703 - every part escaped above, as the templates do
        return super().render(template_name, context, request=request)
