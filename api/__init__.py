"""The web service of overlap: a thin FastAPI layer over the library and its store.

``api.main.create_app`` builds the application; routers live in ``api.routers`` (one
per resource), dependencies in ``api.deps``, settings in ``api.settings``.
"""
