"""The web layer: views and URL configurations, above every domain package."""
