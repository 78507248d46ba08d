"""A small browser: cookies, the CSRF token, forms as the pages render them; and the
behaviour of the load test's users (contributors who save, managers who read)."""

import http.cookiejar
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

TIMEOUT = 60  # gunicorn's own worker timeout is 60 s


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # select name -> values


class FormParser(HTMLParser):
    """Every <form method=post> of a page: its action, fields and the options of selects."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = Form(action=a.get("action") or "")
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form.fields[name] = a.get("value") or "on"
            elif kind != "file":
                self._form.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._form.fields.setdefault(name, "")
            self._form.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self._form.options[self._select].append(value)
            if "selected" in a:
                self._form.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


FORM_ACTIONS = {  # which form of the item page is which, by its action
    "bijwerken": "/checklist/{}/bijwerken/",
    "opmerking": "/checklist/{}/opmerking/",
    "toevoegen": "/bewijs/item/{}/toevoegen/",
}


def page_forms(html: str) -> dict[str, Form]:
    """The item page's update, comment and evidence forms, by the end of their action."""
    found = {}
    for form in forms_of(html):
        for name, pattern in FORM_ACTIONS.items():
            head, tail = pattern.split("{}")
            if head in form.action and form.action.endswith(tail):
                found[name] = form
    return found


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    body: str
    location: str = ""


class Browser:
    def __init__(self, base: str, stats: "Stats") -> None:
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, kind: str, path: str, data=None, headers=None) -> Response | None:
        """One request; the outcome is counted under ``kind``. None: no HTTP answer."""
        url = urllib.parse.urljoin(self.base, path)
        body, all_headers = None, {"Referer": url, **(headers or {})}
        if data is not None:
            boundary = uuid.uuid4().hex
            body = multipart(data, boundary)
            all_headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            all_headers["X-CSRFToken"] = self.csrf()
        started = time.monotonic()
        try:  # always http://127.0.0.1:<port>/ (base is set by the load test)
            request = urllib.request.Request(url, body, all_headers)  # noqa: S310
            with self.opener.open(request, timeout=TIMEOUT) as r:
                response = Response(r.status, r.read().decode(), r.headers.get("Location", ""))
        except urllib.error.HTTPError as error:
            response = Response(
                error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")
            )
        except (OSError, urllib.error.URLError) as error:
            self.stats.add(kind, None, time.monotonic() - started, type(error).__name__)
            return None
        self.stats.add(kind, response.status, time.monotonic() - started)
        return response

    def get(self, kind: str, path: str) -> Response | None:
        return self.request(kind, path)

    def login(self, username: str, password: str) -> bool:
        self.get("login", "/inloggen/")
        done = self.request(
            "login",
            "/inloggen/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()},
        )
        return bool(done and done.status == 302)


def multipart(data: dict[str, str], boundary: str) -> bytes:
    parts = []
    for name, value in data.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode()


class Stats:
    """Every request's outcome and latency, and every write the server accepted or refused."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, int | None, float, str]] = []
        self.updates: list[dict] = []  # accepted item saves: user, item, version, changes
        self.stale: list[dict] = []  # 409s: item, submitted version, time
        self.created: list[dict] = []  # accepted comments / evidence: kind, token, user
        self.unknown = 0  # writes without an answer (a killed worker): outcome unknown

    def add(self, kind, status, seconds, error=""):
        with self.lock:
            self.requests.append((kind, status, seconds, error))

    def note(self, bucket: str, row: dict) -> None:
        with self.lock:
            getattr(self, bucket).append(row)


@dataclass
class Plan:
    """What one user does: log in, then loop until ``deadline``."""

    username: str
    password: str
    role: str  # "contributor" or "manager"
    algorithm: str  # slug
    items: list[int]  # the hot items this user works on
    seed: int = 0


def run_user(base: str, plan: Plan, stats: Stats, deadline: float, stop: threading.Event) -> None:
    rnd = random.Random(plan.seed)  # noqa: S311 (behaviour, not secrets)
    browser = Browser(base, stats)
    time.sleep(plan.seed * 0.25)  # people arrive one by one, not in one instant
    while not browser.login(plan.username, plan.password):
        if time.monotonic() > deadline or stop.is_set():
            return
        time.sleep(1)
    while time.monotonic() < deadline and not stop.is_set():
        if plan.role == "manager":
            read_as_manager(browser, plan, rnd)
        else:
            work_as_contributor(browser, plan, rnd, stats)
        time.sleep(rnd.uniform(0.5, 2.0))  # thinking


def read_as_manager(browser: Browser, plan: Plan, rnd: random.Random) -> None:
    choice = rnd.random()
    if choice < 0.5:
        browser.get("read portfolio", "/portfolio/")
    elif choice < 0.8:
        browser.get("read checklist", f"/algoritmes/{plan.algorithm}/checklist/")
    else:
        browser.get(
            "read item", f"/algoritmes/{plan.algorithm}/checklist/{rnd.choice(plan.items)}/"
        )


def work_as_contributor(browser: Browser, plan: Plan, rnd: random.Random, stats: Stats) -> None:
    if rnd.random() < 0.25:
        browser.get("read checklist", f"/algoritmes/{plan.algorithm}/checklist/")
        return
    item = rnd.choice(plan.items)
    page = browser.get("read item", f"/algoritmes/{plan.algorithm}/checklist/{item}/")
    if page is None or page.status != 200:
        return
    forms = page_forms(page.body)
    time.sleep(rnd.uniform(0.2, 1.5))  # reading the page, filling in the form
    choice = rnd.random()
    if choice < 0.55 and "bijwerken" in forms:
        save_item(browser, plan, item, forms["bijwerken"], rnd, stats)
    elif choice < 0.8 and "opmerking" in forms:
        token = f"lt-{uuid.uuid4().hex[:12]}"
        post_created(
            browser,
            "write comment",
            forms["opmerking"],
            {"body": f"Opmerking {token}"},
            token,
            "comment",
            plan,
            item,
            rnd,
            stats,
        )
    elif "toevoegen" in forms:
        token = f"lt-{uuid.uuid4().hex[:12]}"
        values = {
            "kind": "note",
            "title": f"Notitie {token}",
            "note": "Verslag van de test.",
            "url": "",
        }
        post_created(
            browser,
            "write evidence",
            forms["toevoegen"],
            values,
            token,
            "evidence",
            plan,
            item,
            rnd,
            stats,
        )


def save_item(browser, plan, item, form, rnd, stats) -> None:
    """Status and/or owner through the item form, always to a value other than shown."""
    data = dict(form.fields)
    statuses = [
        v
        for v in form.options.get("status", [])
        if v and v not in (data.get("status"), "not_applicable")
    ]
    owners = [v for v in form.options.get("owner", []) if v and v != data.get("owner")]
    changes = {}
    if statuses and (rnd.random() < 0.7 or not owners):
        changes["status"] = rnd.choice(statuses)
    if owners and (rnd.random() < 0.5 or not changes):
        changes["owner"] = rnd.choice(owners)
    if not changes:
        return
    data.update(changes)
    htmx = rnd.random() < 0.5
    headers = {"HX-Request": "true"} if htmx else {}
    version = int(data["version"])
    answer = browser.request("write item", form.action, data, headers)
    if answer is None:
        with stats.lock:
            stats.unknown += 1
    elif answer.status in (200, 302):
        stats.note(
            "updates", {"user": plan.username, "item": item, "version": version, "changes": changes}
        )
    elif answer.status == 409:
        stats.note("stale", {"item": item, "version": version, "at": time.time()})


def post_created(browser, kind, form, values, token, what, plan, item, rnd, stats) -> None:
    data = {**form.fields, **values}
    headers = {"HX-Request": "true"} if rnd.random() < 0.5 else {}
    answer = browser.request(kind, form.action, data, headers)
    if answer is None:
        with stats.lock:
            stats.unknown += 1
    elif answer.status in (200, 302):
        stats.note("created", {"what": what, "token": token, "user": plan.username, "item": item})
