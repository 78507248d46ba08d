// Init script for every browser context of the tests (see conftest.PageOpener): report
// each Content Security Policy violation as a console error, which the tests collect and
// assert empty. Chromium logs most refusals itself; this also catches the ones it only
// reports as an event (an inline style in swapped-in markup, for instance).
window.addEventListener(
  "securitypolicyviolation",
  (event) => {
    console.error(
      `securitypolicyviolation: ${event.violatedDirective} refused ` +
        `${event.blockedURI || "inline"} in ${event.sourceFile || document.URL}` +
        `:${event.lineNumber} ${event.sample || ""}`.trimEnd(),
    );
  },
  true,
);
