"""Pages for whoever runs sessions: coaches, training managers, editors."""

urlpatterns: list = []
