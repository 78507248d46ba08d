"""Running app code in parallel threads, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection


class Worker(threading.Thread):
    """Runs ``target`` in a thread of its own (so with a connection of its own), keeps its
    result or exception, and closes the connection when done."""

    def __init__(self, target: Callable, *, lock_timeout: str = "5s", name: str = "") -> None:
        super().__init__(name=name or target.__name__, daemon=True)
        self.target = target
        self.lock_timeout = lock_timeout
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Bounded: a lock this code should never wait for fails the test.
                    cursor.execute(f"SET lock_timeout = '{self.lock_timeout}'")
            self.result = self.target()
        except BaseException as exc:  # reported by the test through .error
            self.error = exc
        finally:
            connection.close()

    def finish(self, timeout: float = 30) -> "Worker":
        self.join(timeout)
        assert not self.is_alive(), f"{self.name} still running after {timeout} s"
        return self


def on_statement(match: str, *, before: Callable | None = None, after: Callable | None = None):
    """An execute wrapper (``connection.execute_wrapper``) that calls ``before`` / ``after``
    around the first statement whose SQL contains ``match``: a pause point inside app code."""
    fired = threading.Event()

    def wrapper(execute, sql, params, many, context):
        hit = match in sql and not fired.is_set()
        if hit:
            fired.set()
            if before:
                before()
        result = execute(sql, params, many, context)
        if hit and after:
            after()
        return result

    return wrapper
