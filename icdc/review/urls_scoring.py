"""URLs of the review stage's scoring pages (issue 14); included from icdc/urls.py."""

app_name = "scoring"

urlpatterns = []
