"""(skeleton: filled by issue 19 work)"""

urlpatterns = []
