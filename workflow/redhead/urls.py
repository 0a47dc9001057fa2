app_name = "redhead"
urlpatterns = []
