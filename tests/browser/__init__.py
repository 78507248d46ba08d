"""Real-browser tests: journeys and accessibility (issue 7).

Browser tests
-------------

``tests/browser/`` drives Debian's Chromium with Playwright for Python against
pytest-django's ``live_server``, and checks every main page with axe-core (from the
npm registry, ``node_modules/axe-core``; ``bin/setup`` installs it with ``npm ci``).

- Run them: ``.venv/bin/pytest tests/browser`` (they also run with the whole suite;
  ``-m "not browser"`` leaves them out).
- Chromium: ``/usr/bin/chromium`` (``apt-get install chromium``), or the path in
  ``CHROMIUM_PATH``. Playwright's own browser download is never used. Without
  Chromium (or without axe-core, for the accessibility tests) the tests are skipped
  with the reason in the output; with ``CI=true`` they fail instead, so CI cannot
  pass by skipping them. ``.ci/run`` installs Chromium where it is missing.
- CI (``.ci/run``) runs everything on the SQLite leg, and the journeys (not the
  markup, keyboard and phone checks) again on the PostgreSQL leg.
- axe-core is injected as a browser-context init script, which runs outside the
  page's Content Security Policy: pages are checked under their real CSP, no
  ``bypass_csp``. Console errors (a CSP refusal among them) fail the tests too.
- On failure the screenshot, HTML and console log of every page the test opened are
  kept under ``test-artifacts/<test name>/`` (git-ignored).
- Every run keeps a full-page screenshot of every page in ``MAIN_PAGES`` at 1280 and
  390 px in ``test-artifacts/screenshots/`` (``screens.py``); CI keeps
  ``test-artifacts/`` (``.ci/README.md``). At 390 px no page may scroll sideways, and
  ``test_phones.py`` holds the phone layouts to their figures (a 30-item checklist at
  most 6,000 px tall). Every context reports a Content Security Policy violation as a
  console error (``csp_listener.js``), which fails the test.
- Watch a run: ``BROWSER_HEADED=1`` (needs a display) and ``BROWSER_SLOWMO=250``.

Adding a page: put its URL in ``MAIN_PAGES`` of ``test_accessibility.py``. A page
that another issue has yet to build goes into ``LATER_PAGES`` in ``pages.py`` by URL
name: its tests skip ("... not built yet") until the name resolves, then run.
"""
