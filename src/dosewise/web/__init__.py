"""The web app: server-rendered FastAPI + Jinja2; every page also answers JSON."""
