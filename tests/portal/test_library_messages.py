"""The libraries' messages a person or an API client meets are in Kazakh on Kazakh pages:
Django's form refusals that its own catalogue leaves in English (portal/library_messages.py
gives them ours), and the API's, in a Kazakh client's language."""

import pytest
from django import forms
from django.utils import translation
from rest_framework.test import APIClient


def _refusals(field: forms.Field, value) -> list[str]:
    with translation.override("kk"):
        try:
            field.clean(value)
        except forms.ValidationError as refusal:
            return list(refusal.messages)
    raise AssertionError("the value was accepted")


@pytest.mark.parametrize(
    ("field", "value", "kazakh"),
    [
        (
            forms.DecimalField(max_digits=6, decimal_places=2),
            "12345.6",
            "Бүтін бөлігі 4",
        ),
        (forms.DecimalField(max_digits=6, decimal_places=2), "1.234", "Бөлшек бөлігі"),
        (forms.DecimalField(max_digits=4, decimal_places=1), "12345", "Барлығы 4"),
        (forms.CharField(max_length=3), "әсем", "3"),
        (forms.CharField(), "a\x00b", ""),
    ],
)
def test_a_form_refusal_is_in_kazakh(field, value, kazakh):
    messages = _refusals(field, value)

    assert messages
    for message in messages:
        assert kazakh in message
        assert not any(word in message for word in ("Ensure", "Enter", "characters"))


def test_a_formset_changed_on_the_way_is_refused_in_kazakh():
    Rows = forms.formset_factory(forms.Form, max_num=2, validate_max=True)
    with translation.override("kk"):
        missing = Rows(data={})
        missing.is_valid()
        too_many = Rows(data={"form-TOTAL_FORMS": "5", "form-INITIAL_FORMS": "0"})
        too_many.is_valid()

        assert str(missing.non_form_errors()[0]).startswith(
            "Форманың басқару деректері жоқ"
        )
        assert list(too_many.non_form_errors()) == ["Ең көбі 2 форма жіберіңіз."]


@pytest.mark.django_db
def test_the_api_answers_a_kazakh_client_in_kazakh(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/day", "user": None},
    }
    client = APIClient(HTTP_ACCEPT_LANGUAGE="kk")

    invalid_page = client.get("/api/v1/units/", {"page": "99"}).json()
    throttled = client.get("/api/v1/units/").json()

    assert invalid_page["detail"] == "Қате бет нөмірі."
    assert throttled["detail"].startswith("Сұраныс жиілігі шектелді.")
    assert "секундтан кейін қайта қолжетімді болады" in throttled["detail"]
