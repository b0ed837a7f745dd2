from django.urls import path

from lsoplan.api import views
from lsoplan.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("api-referens/", views.reference, name="api_reference"),
    path("konto/api-nycklar/", views.token_list, name="api_tokens"),
    path("konto/api-nycklar/<int:pk>/aterkalla/", views.token_revoke, name="api_token_revoke"),
]
