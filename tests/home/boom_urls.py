"""The project's URLs plus one view that fails, to see the 500 page a user would get."""

from django.urls import path

from icdc.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urlpatterns, path("boom/", boom)]
