"""The public read-only API's common parts (path converters, the error shape, the year
filter, the answer to an unknown address) and its endpoints of the territorial registry:
units by KATO code. Pagination, rate limits and the exception handler are in
portal/pagination.py, portal/throttling.py and portal/errors.py, which DRF's settings name
and which must not import its views."""

from __future__ import annotations

from django import forms
from django.urls import path, register_converter
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, generics, serializers

from portal import selectors
from portal.fiscal import current_fiscal_year
from portal.models import AdministrativeUnit, Akimat, Level, OwnBudgetReason

# Path converters: a path the API cannot have answers 404 before any query, and numbers
# never reach the database larger than its integers.


class KatoConverter:
    regex = "[0-9]{9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class NumberConverter:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(KatoConverter, "kato")
register_converter(YearConverter, "year")
register_converter(NumberConverter, "number")

# drf-spectacular's schemas of these converters: PATH_CONVERTER_OVERRIDES in settings.

# Errors: one shape for every refusal, a domain error included.


def absolute_url(request, url: str) -> str:
    """The URL as the client reached the API (scheme and host), or as it is without one."""
    return request.build_absolute_uri(url) if request is not None else url


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid parameters: the messages of each parameter.",
    )


# The error answers each operation documents: a list's filters and page may be invalid
# (400) or past the end (404); an object may not exist (404); anyone may be throttled.
LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid parameters."),
    404: OpenApiResponse(ErrorSerializer, description="No such page."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
}
DETAIL_ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="Not found."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
}


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in English whatever the client's language: its
    descriptions are written for developers in English, and the choices' labels follow
    them rather than mix two languages in one document."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            # Rendered now: the labels are lazy and would follow the request's language.
            return response.render() if hasattr(response, "render") else response


class NotFoundView(generics.GenericAPIView):
    """Any path under the API that names nothing: 404 in the API's shape, not a page."""

    pagination_class = None
    schema = None

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("The API has no such address."))

    head = options = post = put = patch = delete = get


api_not_found = NotFoundView.as_view()


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 9999})
class YearFilter(filters.NumberFilter):
    """A year as a whole number: anything else is a 400 with the reason; the schema says
    so (a whole number from 0 to 9999)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "maxLength": 9})
class KatoCodeFilter(filters.CharFilter):
    """A unit's KATO code: nine characters at most, longer is a 400 with the reason; the
    schema says so."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "boolean"})
class TrueFalseFilter(filters.TypedChoiceFilter):
    """`true` or `false`, nothing else (not "null", "1" or "yes"): anything else is a 400
    with the reason, as the schema's boolean says."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


def text_filter(*, max_length: int, **kwargs) -> filters.CharFilter:
    """A text parameter of at most `max_length` characters and no NUL (Django's
    CharField refuses it), anything else a 400 with the reason; the schema says so."""
    return extend_schema_field(
        {"type": "string", "maxLength": max_length, "pattern": r"^[^\u0000]*$"}
    )(filters.CharFilter(max_length=max_length, **kwargs))


# Units.


class UnitReferenceSerializer(serializers.Serializer):
    kato_code = serializers.CharField()
    name_kk = serializers.CharField()
    name_ru = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="kato_code", read_only=True, allow_null=True
    )
    level = serializers.ChoiceField(choices=Level.choices)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "kato_code",
            "level",
            "name_kk",
            "name_ru",
            "parent",
            "population",
            "population_year",
        ]


class OwnBudgetSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    holds = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=OwnBudgetReason.choices)
    budget_unit = UnitReferenceSerializer(
        allow_null=True,
        help_text="The unit whose budget this one takes part in, when it holds none.",
    )


class AkimatSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(
        read_only=True,
        help_text="As +7 and ten digits (+77163621471), or empty when not published.",
    )
    # The akimat's office address, public; named apart from a person's e-mail, which the
    # API never carries under any name.
    office_email = serializers.EmailField(
        source="email",
        read_only=True,
        help_text="The akimat's public e-mail, or empty when not published.",
    )

    class Meta:
        model = Akimat
        fields = [
            "name_kk",
            "name_ru",
            "akim_name_kk",
            "akim_name_ru",
            "address_kk",
            "address_ru",
            "working_hours_kk",
            "working_hours_ru",
            "in_person_kk",
            "in_person_ru",
            "phone",
            "office_email",
        ]
        read_only_fields = fields


class UnitDetailSerializer(UnitSerializer):
    ancestors = UnitReferenceSerializer(many=True, read_only=True)
    own_budget = serializers.SerializerMethodField()
    children_count = serializers.IntegerField(read_only=True)
    akimat = AkimatSerializer(
        source="akimat_contacts",
        read_only=True,
        allow_null=True,
        help_text=(
            "The contacts of the unit's akimat as the administrator published them, in "
            "Kazakh and Russian (empty texts are not published); null when none are."
        ),
    )

    class Meta(UnitSerializer.Meta):
        fields = [
            *UnitSerializer.Meta.fields,
            "ancestors",
            "own_budget",
            "children_count",
            "akimat",
        ]

    @extend_schema_field(OwnBudgetSerializer)
    def get_own_budget(self, unit: AdministrativeUnit) -> dict:
        fiscal_year = current_fiscal_year()
        status = unit.own_budget_status(fiscal_year)
        budget_unit = None if status.holds else unit.budget_unit(fiscal_year)
        return OwnBudgetSerializer(
            {
                "fiscal_year": fiscal_year,
                "holds": status.holds,
                "reason": status.reason,
                "budget_unit": budget_unit,
            }
        ).data


class UnitFilter(filters.FilterSet):
    q = text_filter(
        method="filter_text",
        max_length=100,
        help_text="Part of the Kazakh or Russian name, or of the KATO code.",
    )
    level = filters.ChoiceFilter(choices=Level.choices)
    parent = KatoCodeFilter(
        field_name="parent__kato_code",
        help_text="The KATO code of the parent unit.",
    )
    own_budget_year = YearFilter(
        method="filter_own_budget",
        help_text="Only the units that hold their own budget in this fiscal year.",
    )

    class Meta:
        model = AdministrativeUnit
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.matching(value) if value.strip() else queryset

    def filter_own_budget(self, queryset, name, value):
        return queryset.holding_own_budget(value)


@extend_schema_view(
    get=extend_schema(
        summary="Administrative units",
        description="Units of the KATO registry, by KATO code.",
        responses={200: UnitSerializer(many=True), **LIST_ERRORS},
        tags=["units"],
    )
)
class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return selectors.unit_api_list()


@extend_schema_view(
    get=extend_schema(
        summary="An administrative unit",
        description=(
            "A unit with its ancestors, the number of its children, whether it holds "
            "its own budget in the current fiscal year and its akimat's contacts."
        ),
        responses={200: UnitDetailSerializer, **DETAIL_ERRORS},
        tags=["units"],
    )
)
class UnitDetail(generics.RetrieveAPIView):
    serializer_class = UnitDetailSerializer

    def get_object(self):
        unit = selectors.unit_api_get(kato_code=self.kwargs["kato_code"])
        if unit is None:
            raise exceptions.NotFound(_("No unit has this KATO code."))
        return unit


urlpatterns = [
    path("units/", UnitList.as_view(), name="unit_list"),
    path("units/<kato:kato_code>/", UnitDetail.as_view(), name="unit_detail"),
]
