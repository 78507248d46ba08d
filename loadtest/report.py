"""The load test's figures and verdict: requests, errors by kind, latency, the faults,
the lost-write check against the database and the audit trail, and verify_audit."""

import statistics
from collections import Counter

from loadtest.client import Stats


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_report(
    stats: Stats,
    log: dict,
    elapsed: float,
    load_before,
    load_after,
    deadlocks: int,
    server_log: str,
) -> int:
    from django.core.management import CommandError, call_command

    from loadtest.world import check_writes

    requests = [r for r in stats.requests if r[0] != "login"]
    outcomes = Counter()
    for _, status, _, error in requests:
        outcomes[error or (f"{status // 100}xx" if status not in (409, 503) else str(status))] += 1
    server_errors = sum(1 for _, status, _, _ in stats.requests if status and status >= 500)
    by_kind = Counter(kind for kind, *_ in requests)
    statuses = Counter((kind, status or error) for kind, status, _, error in requests)
    print(
        f"\nrequests: {len(requests)} in {elapsed:.0f} s "
        f"({len(requests) / max(elapsed, 1):.1f}/s), "
        f"logins {len(stats.requests) - len(requests)}"
    )
    for kind, count in sorted(by_kind.items()):
        latencies = [seconds for k, _, seconds, _ in requests if k == kind]
        answers = ", ".join(
            f"{s}×{n}" for (k, s), n in sorted(statuses.items(), key=str) if k == kind
        )
        print(
            f"  {kind:15} {count:6}  p50 {percentile(latencies, 0.5) * 1000:6.0f} ms  "
            f"p95 {percentile(latencies, 0.95) * 1000:6.0f} ms  [{answers}]"
        )
    everything = [seconds for _, _, seconds, _ in requests]
    print(
        f"  {'all':15} {len(requests):6}  p50 {percentile(everything, 0.5) * 1000:6.0f} ms  "
        f"p95 {percentile(everything, 0.95) * 1000:6.0f} ms  "
        f"mean {statistics.fmean(everything or [0]) * 1000:.0f} ms"
    )
    print("outcomes: " + ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())))
    print(
        f"5xx: {server_errors}   deadlocks: {deadlocks}   "
        f"409 (stale form): {len(stats.stale)}   "
        f"writes without an answer (killed worker): {stats.unknown}"
    )
    print(
        f"accepted writes: {len(stats.updates)} item saves, "
        f"{sum(1 for c in stats.created if c['what'] == 'comment')} comments, "
        f"{sum(1 for c in stats.created if c['what'] == 'evidence')} evidence notes"
    )
    for name in ("worker_killed", "dossier_started", "db_worker_killed", "dossier_outcome"):
        print(f"{name.replace('_', ' ')}: {log.get(name, '—')}")
    problems = check_writes(stats)
    print(f"lost-write check: {'0 problems' if not problems else len(problems)}")
    for problem in problems[:20]:
        print(f"  {problem}")
    try:
        call_command("verify_audit")
        verified = True
    except CommandError as error:
        print(f"verify_audit: {error}")
        verified = False
    tracebacks = server_log.count("Traceback")
    if tracebacks:
        print(f"server log: {tracebacks} tracebacks; the first:")
        start = server_log.index("Traceback")
        print(server_log[start : start + 3000])
    before = " ".join(f"{value:.2f}" for value in load_before)
    after = " ".join(f"{value:.2f}" for value in load_after)
    print(f"load average: {before} at the start, {after} at the end (2 cores)")
    written = len(stats.updates) + len(stats.created)
    if not written:
        print("no write was accepted: the run proves nothing")
    refused = sum(
        1
        for kind, status, _, _ in requests
        if kind.startswith("write") and status and 400 <= status < 500 and status != 409
    )
    if refused:
        print(f"writes refused as invalid or forbidden (the client's fault): {refused}")
    passed = (
        written
        and not refused
        and not server_errors
        and not deadlocks
        and not problems
        and verified
    )
    print(f"loadtest: {'PASSED' if passed else 'FAILED'}")
    return 0 if passed else 1
