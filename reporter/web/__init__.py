"""`reporter serve`: a local web page for the clerks, a thin shell over reporter.api.

app (settings, middleware), routes (pages and actions), auth (sessions, password, CSRF), jobs (one run at a
time per workspace, live progress), downloads (which files may be served), server (uvicorn); the page's
templates and static files are package data, so the page works with no internet.
"""
