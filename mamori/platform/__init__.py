"""The platform: what every part of Mamori stands on, and which knows none of them.

Organizations and scoping (tenancy), people and tokens (accounts), the actor and the trail (trail),
the page framework (web: CRUD, exports, imports, files) and the API framework (api). Domain apps
register with it (:mod:`mamori.platform.registry`); it imports no domain app.
"""
