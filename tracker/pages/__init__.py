"""Page assembly: the context of a page built from several domains (the checklist, the
item page, the go-live gate, the per-algorithm dashboard and the portfolio). This layer
sits above the domain packages and below the views; see "Layers" in the README."""
