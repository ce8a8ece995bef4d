from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from portal import urls as portal_urls
from portal.models import AdministrativeUnit

ROWS = range(120)


def bare(request):
    """The reference: a Django view that renders a 10 KB template, and nothing else."""
    return render(request, "bare.html", {"rows": ROWS})


def bare_query(request):
    """The reference with one PostgreSQL query: a unit read by its primary key."""
    unit = AdministrativeUnit.objects.order_by("pk").first()
    return render(request, "bare.html", {"rows": ROWS, "unit": unit})


def ready(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-query/", bare_query),
    path("bench/ready/", ready),
    *portal_urls.urlpatterns,
]
handler400 = portal_urls.handler400
