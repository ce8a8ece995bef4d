"""Every form control carries the design system's class, given in one place (the
renderer), whatever form it is in; pagination keeps what the visitor chose; a stale form
gets the site's own page."""

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client, RequestFactory


class EveryControl(forms.Form):
    text = forms.CharField()
    email = forms.EmailField()
    number = forms.IntegerField()
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(widget=forms.PasswordInput)
    body = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    several = forms.MultipleChoiceField(choices=[("a", "A")])
    yes = forms.BooleanField()
    one_of = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    some_of = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )
    photo = forms.ImageField()
    secret = forms.CharField(widget=forms.HiddenInput)
    own = forms.CharField(widget=forms.TextInput(attrs={"class": "money"}))


@pytest.mark.parametrize(
    ("name", "css_class"),
    [
        ("text", "usa-input"),
        ("email", "usa-input"),
        ("number", "usa-input"),
        ("date", "usa-input"),
        ("password", "usa-input"),
        ("body", "usa-textarea"),
        ("choice", "usa-select"),
        ("several", "usa-select"),
        ("yes", "usa-checkbox__input"),
        ("one_of", "usa-radio__input"),
        ("some_of", "usa-checkbox__input"),
        ("own", "usa-input money"),
    ],
)
def test_every_control_gets_the_design_system_s_class(name, css_class):
    html = str(EveryControl()[name])

    assert f'class="{css_class}"' in html


@pytest.mark.parametrize("name", ["photo", "secret"])
def test_a_file_or_hidden_field_gets_no_class(name):
    assert "class=" not in str(EveryControl()[name])


def test_an_invalid_control_still_says_so():
    form = EveryControl(data={})

    assert 'aria-invalid="true"' in str(form["text"])
    assert 'class="usa-input"' in str(form["text"])


def test_a_page_link_keeps_the_search_filters_and_order():
    request = RequestFactory().get(
        "/", {"q": "ақ көл", "sort": "-population", "page": 3}
    )
    template = Template("{% load portal_tags %}{% page_link 4 %}")

    link = template.render(Context({"request": request}))

    assert link == "?q=%D0%B0%D2%9B+%D0%BA%D3%A9%D0%BB&amp;sort=-population&amp;page=4"


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("kk", "Форма жіберілмеді"),
        ("ru", "Форму не удалось отправить"),
        ("en", "The form could not be sent"),
    ],
)
def test_a_form_with_a_stale_token_gets_the_site_s_page_in_its_language(
    db, language, heading
):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/accounts/login/", {"login": "a@b.kz"})

    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="usa-skipnav"' in html  # the site's layout, not Django's bare page
