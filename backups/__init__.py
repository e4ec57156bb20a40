"""Backups that restore: `manage.py backup` and `manage.py restore` (README "Running it")."""
