"""The API's filter backend (REST_FRAMEWORK's DEFAULT_FILTER_BACKENDS), in a module of its
own: DRF's settings import it, so it imports nothing that imports DRF's settings (the
schema generator)."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions


class SingleValuedFilterBackend(DjangoFilterBackend):
    """The API's filters and pages, each parameter given once: the schema declares no list,
    so `?unit=1&unit=2` is a 400 naming the parameter, never the last one taken quietly.
    A parameter that is not text (a year, a choice, true or false) given empty is a 400
    too: its schema has no empty value, and leaving it out is how to ask for no filter."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        declared = filterset_class.base_filters if filterset_class else {}
        refused = {}
        for name, values in request.query_params.lists():
            if len(values) > 1:
                refused[name] = [_("Give this parameter once.")]
            elif (
                values == [""]
                and name in declared
                and not isinstance(declared[name], filters.CharFilter)
            ):
                refused[name] = [_("Give a value, or leave the parameter out.")]
        if refused:
            raise exceptions.ValidationError(refused)
        return super().filter_queryset(request, queryset, view)
