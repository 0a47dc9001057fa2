app_name = "gongwen"
urlpatterns = []
