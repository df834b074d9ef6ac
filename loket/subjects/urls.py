"""(skeleton: filled by issue 19 work)"""

app_name = "subjects"

urlpatterns = []
