app_name = "numbering"
urlpatterns = []
