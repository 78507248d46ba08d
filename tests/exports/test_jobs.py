"""Job files and the progress read from WeasyPrint's logger."""

import os
import threading
import time

from weasyprint import HTML

from tracker.exports import jobs
from tracker.exports.progress import report_progress


def test_job_life_cycle_and_sweep(settings) -> None:
    job = jobs.create(7, "someone")
    assert jobs.load(job.id).state == jobs.State.QUEUED
    jobs.update(job.id, state=jobs.State.RUNNING, step=3)
    assert jobs.load(job.id).step == 3
    jobs.finish(job.id, b"%PDF-1.7\n", pages=4)
    done = jobs.load(job.id)
    assert done.done
    assert (done.pages, done.size) == (4, 9)
    assert jobs.pdf_path(job.id).read_bytes() == b"%PDF-1.7\n"
    old = time.time() - jobs.MAX_AGE - 10
    for path in (jobs.pdf_path(job.id), jobs.root() / f"{job.id.replace('-', '')}.json"):
        os.utime(path, (old, old))
    fresh = jobs.create(8, "other")
    assert jobs.load(job.id) is None  # swept when the new job started
    assert not jobs.pdf_path(job.id).exists()
    assert jobs.load(fresh.id) is not None


def test_progress_reports_weasyprint_steps_of_this_thread_only() -> None:
    calls = []
    html = "<p>een</p><p style='break-before: page'>twee</p>"
    with report_progress(lambda step, label, page: calls.append((step, label, page)), 0):
        HTML(string=html).render().write_pdf()
        other = threading.Thread(target=lambda: HTML(string="<p>x</p>").render())
        other.start()
        other.join()
    steps = [step for step, _, _ in calls]
    assert steps[0] == 1
    assert steps[-1] == 7
    assert (5, "pagina's opmaken", 2) in calls
    assert len([c for c in calls if c[0] == 1]) == 1  # not the other thread's rendering
