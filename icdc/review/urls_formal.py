"""URLs of the review stage's formal pages (issue 14); included from icdc/urls.py."""

app_name = "formal"

urlpatterns = []
