"""URLs and form data for requests to the checklist's views in tests."""

from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def list_url(world, query=""):
    return reverse("checklist:list", args=[world.algorithm.slug]) + query


def item_url(world, name="checklist:item", item=None):
    return reverse(name, args=[world.algorithm.slug, (item or world.item).pk])


def update_data(item, **values):
    data = {"status": item.status, "justification": "", "owner": "", "due_date": ""}
    data.update(version=item.version, **values)
    return data


# -- access -------------------------------------------------------------------------
