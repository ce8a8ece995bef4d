"""The API's pagination: pages of 50 by default, at most 200 when a client asks.

A `page_size` that is not a whole number from 1 to 200 is a 400 with the reason, never
quietly replaced by the default and copied into the `next` link; the schema says so."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        if self.page_size_query_param not in request.query_params:
            return self.page_size
        value = request.query_params[self.page_size_query_param]
        if (
            not value.isascii()
            or not value.isdigit()
            or not (1 <= int(value) <= self.max_page_size)
        ):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(most)d.")
                        % {"most": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_page_number(self, request, paginator):
        # An empty page number is no page, as "abc" is not: a 404 with the reason (DRF
        # would read it as the first page, which the schema's integer does not allow).
        if request.query_params.get(self.page_query_param) == "":
            return ""
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters
