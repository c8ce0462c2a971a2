"""URLs of the review stage's defence pages (issue 14); included from icdc/urls.py."""

app_name = "defence"

urlpatterns = []
