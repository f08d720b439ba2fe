"""Every template and Python string meant for people is marked for translation.

The rules (which text and which call sites count) are in the docstring of
``strings_marked.py``; docs/subsystems/i18n.md explains how to mark a string.
"""

from __future__ import annotations

import pytest

from tripartite.tests.strings_marked import (
    ALLOWED,
    needs_translation,
    python_files,
    python_violations,
    template_files,
    template_violations,
)

# ---------------------------------------------------------------- the project


def test_templates_mark_their_text() -> None:
    files = sorted(template_files())
    assert len(files) > 100, "the templates were not found"
    problems = []
    for path in files:
        relative = path.as_posix().split("/src/", 1)[-1]
        problems += template_violations(path.read_text(encoding="utf-8"), f"src/{relative}")
    assert not problems, "text not marked for translation:\n" + "\n".join(map(str, problems))


def test_python_marks_its_messages() -> None:
    files = list(python_files())
    assert len(files) > 50, "the Python modules were not found"
    problems = []
    for path in files:
        relative = path.as_posix().split("/src/", 1)[-1]
        problems += python_violations(path.read_text(encoding="utf-8"), f"src/{relative}")
    assert not problems, "strings not marked for translation:\n" + "\n".join(map(str, problems))


# ---------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    "text",
    [
        "Letters register",
        "Año",
        "Signed by {name}",
        "See https://example.org for more",
    ],
)
def test_words_need_translation(text: str) -> None:
    assert needs_translation(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " · ",
        "—",
        "2017-05-04",
        "&nbsp;&mdash;",
        "letter/mx-2017-0001",
        "https://example.org/log/key",
        "v3.json",
        "SHA-256",
        "JSON · CSV",
        "(RFC 3161)",
        "a",
    ],
)
def test_neutral_text_needs_no_translation(text: str) -> None:
    assert not needs_translation(text)


def test_allowlist_stays_short() -> None:
    assert len(ALLOWED) <= 15


TEMPLATE = """{% load i18n %}{# A comment for developers #}
<h1>{% translate "Letters" %}</h1>
<p>Plain words here</p>
{% comment %}Not shown to anyone{% endcomment %}
<p>{% blocktranslate with n=count %}There are {{ n }} letters{% endblocktranslate %}</p>
<img src="/x.png" alt="A chart">
<img src="/y.png" alt="{% translate 'A chart' %}">
<a href="{% url 'home' %}" title="Go home" aria-label="{% translate 'Home' %}">{{ name }}</a>
<input type="search" placeholder="Search letters" value="query text">
<input type="submit" value="Send it">
<button type="submit" value="go">{% translate "Send" %}</button>
<meta name="description" content="The public record">
<meta name="viewport" content="width=device-width">
<script>const words = "not checked";</script>
<style>body { font-family: sans-serif; }</style>
<pre>tripartite verify-archive folder</pre>
<p><code>some code</code> · {{ value }} · JSON · 2017 · letter/mx-2017-0001</p>
<p>{% if x %}Shown{% else %}{% translate "Hidden" %}{% endif %}</p>
"""


def test_template_checker_reports_unmarked_text() -> None:
    found = [(v.line, v.text) for v in template_violations(TEMPLATE, "t.html")]
    assert found == [
        (3, "Plain words here"),
        (6, "A chart"),
        (8, "Go home"),
        (9, "Search letters"),
        (10, "Send it"),
        (12, "The public record"),
        (18, "Shown"),
    ]
    assert str(template_violations(TEMPLATE, "t.html")[0]) == "t.html:3: Plain words here"


def test_text_template_checker() -> None:
    source = (
        "{% load i18n %}{% translate 'Hello' %}\n"
        "Unmarked line\n"
        "    tripartite verify-archive FOLDER\n"
        "{{ url }}\n"
    )
    found = [(v.line, v.text) for v in template_violations(source, "mail.txt")]
    assert found == [(2, "Unmarked line")]


PYTHON = """
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _, gettext_lazy
from ninja import Field, Query

from tripartite.core.errors import Conflict, InvalidInput


class Kind(models.TextChoices):
    ONE = "one", gettext_lazy("One")
    TWO = "two", "Two things"


class Thing(models.Model):
    name = models.CharField(max_length=10, verbose_name="thing name")
    code = models.CharField(max_length=10, verbose_name=gettext_lazy("code"))

    class Meta:
        verbose_name = "thing"


class ThingForm(forms.Form):
    title = forms.CharField(label="Title", help_text=gettext_lazy("A short title"))
    kind = forms.ChoiceField(choices=[("a", "Option A"), ("b", gettext_lazy("Option B"))])
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Type here"}))


class Schema:
    member: str = Field(..., description="Member key, e.g. mx")


def view(request, q: str = Query(None, description="Words to find")):
    messages.success(request, "Saved it")
    messages.success(request, _("Saved"))
    messages.info(request, f"Letter {q} saved")
    if not q:
        raise InvalidInput("Nothing to search for")
    if q == "x":
        raise Conflict(_("Taken"))
    raise ValidationError("Bad value %(v)s" % {"v": q})
"""


def test_python_checker_reports_unmarked_strings() -> None:
    found = [(v.line, v.text) for v in python_violations(PYTHON, "m.py")]
    assert found == [
        (14, "Two things"),
        (18, "thing name"),
        (22, "thing"),
        (26, "Title"),
        (27, "Option A"),
        (28, "Type here"),
        (36, "Saved it"),
        (38, "Letter saved"),
        (40, "Nothing to search for"),
        (43, "Bad value %(v)s"),
    ]
