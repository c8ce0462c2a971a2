from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/<str:name>/", views.proposal_transition, name="proposal_transition"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/notes/", views.objection_note, name="objection_note"),
    path("objections/<int:pk>/files/", views.objection_upload, name="objection_upload"),
    path("objections/<int:pk>/files/<int:file_pk>/", views.objection_download, name="objection_download"),
    path("objections/<int:pk>/do/<str:name>/", views.objection_transition, name="objection_transition"),
]
