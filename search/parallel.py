"""The parallel writer of a full build: Whoosh's MpWriter with sub-processes we manage.

Sub-writers die with the process that started them, stop when the build is cancelled,
and report their failures to it rather than leaving their documents out. Besides batches
of documents, they take batches of article files to read and index themselves (`work`),
sending back what the build keeps of each, so that reading, cleaning, linking and
sketching the articles run on every core rather than in the parent alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from typing import Protocol

from .saved import WRITER_OPTIONS


def parallel_writer(ix, procs: int, work: ArticleWork | None = None):
    """Whoosh's MpWriter, with sub-writers that die with us, stop when cancelled and report
    their failures to us (rather than printing a traceback and leaving their documents out),
    and that run `work` on the batches of article files given to `add_articles`."""
    import queue

    from whoosh.multiproc import MpWriter, SubWriterTask

    from .flushing import FlushOnce
    from .flushing import Writer as SegmentWriter

    class Task(SubWriterTask):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            self.daemon = True
            self.parent = os.getpid()

        def run(self) -> None:
            # SubWriterTask.run (multisegment), but a failure is sent to the parent, and the jobs
            # still coming are taken off the queue so that the parent is never stuck handing them out.
            _die_with_parent(self.parent)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            jobs_done = False
            try:
                writer = self.writer = SegmentWriter(self.storage.open_index(self.indexname), _lk=False,
                                                     **self.kwargs)
                while (job := self.jobqueue.get()) is not None:
                    if isinstance(job, _Articles):
                        self.resultqueue.put(_ArticlesDone(job.start, work.index(writer, job.paths)))
                    else:
                        self._process_file(*job)
                jobs_done = True
                extra = work.finish() if work is not None else None
                self.resultqueue.put((None, writer.pool.fieldnames, writer._finalize_segment(), extra), timeout=5)
            except BaseException as exc:  # reported to the parent, which raises it
                with contextlib.suppress(BaseException):
                    self.resultqueue.put(_SubWriterFailed(*_describe(exc)), timeout=5)
                with contextlib.suppress(BaseException):
                    while not jobs_done and self.jobqueue.get() is not None:
                        pass

    class Writer(FlushOnce, MpWriter):
        extras: list = []  # what `work.finish()` returned in each sub-writer, once committed
        _articles_sent = 0
        _articles_back = 0

        def add_articles(self, start: int, paths: list) -> list:
            """Hand a batch of article files (numbered from `start`) to a sub-writer; returns the
            results of earlier batches that are back, as (start, what `work.index` returned)."""
            while len(self.tasks) < self.procs:
                self._new_task()
            self.jobqueue.put(_Articles(start, paths))
            self._articles_sent += 1
            self._added_sub = True
            back = []
            with contextlib.suppress(queue.Empty):
                while self._articles_back < self._articles_sent:
                    back.append(self._article_result(block=False))
            return back

        def article_results(self):
            """The results of the batches still out, as they come back."""
            while self._articles_back < self._articles_sent:
                try:
                    yield self._article_result(block=True, timeout=1.0)
                except queue.Empty:
                    if any(task.exitcode is not None for task in self.tasks):
                        raise OSError("an indexing sub-process ended unexpectedly") from None

        def _article_result(self, block: bool, timeout: float | None = None) -> tuple:
            result = self.resultqueue.get(block, timeout)
            if isinstance(result, _SubWriterFailed):
                raise result.error()
            self._articles_back += 1
            return result.start, result.value

        def _new_task(self):
            task = Task(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                        self.multisegment)
            self.tasks.append(task)
            task.start()
            return task

        def _commit(self, mergetype, optimize, merge):
            # MpWriter._commit (multisegment), but a sub-writer that failed or vanished is an error.
            if self.docbuffer:
                self._enqueue()
            for _task in self.tasks:
                self.jobqueue.put(None)
            finalsegments = self._merge_segments(mergetype, optimize, merge)
            results = []
            for task in self.tasks:
                with contextlib.suppress(queue.Empty):
                    results.append(self.resultqueue.get(timeout=_SUBWRITER_PATIENCE))
                task.join(_SUBWRITER_PATIENCE)
            failed = [r for r in results if isinstance(r, _SubWriterFailed)]
            if failed or len(results) < len(self.tasks):
                raise failed[0].error() if failed else OSError("an indexing sub-process ended unexpectedly")
            finalsegments += [segment for _, _, segment, _ in results]
            self.extras = [extra for _, _, _, extra in results if extra is not None]
            if self._added:
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
            self._commit_toc(finalsegments)
            self._finish()

        def cancel(self):
            for task in self.tasks:  # MpWriter.cancel only flags its own copy of each task
                task.terminate()
                task.join(5)
            self.tasks = []
            MpWriter.cancel(self)

    # Each sub-writer writes its own segment; they are not merged (a search reads them all).
    return Writer(ix, procs=procs, batchsize=50, multisegment=True, subargs={"limitmb": 96, **WRITER_OPTIONS},
                  **WRITER_OPTIONS)


# How long a sub-writer may take to hand back its segment once told to finish.
_SUBWRITER_PATIENCE = 600.0


class ArticleWork(Protocol):
    """What a sub-writer does with a batch of article files (run in the sub-process)."""

    def index(self, writer, paths: list) -> object:
        """Read and index `paths` with `writer`; what the parent keeps of them (picklable)."""

    def finish(self) -> object:
        """Once every batch is done: what else the parent needs (picklable), or None."""


@dataclass
class _Articles:
    """A job: article files to read and index, the first being number `start` of the build."""

    start: int
    paths: list


@dataclass
class _ArticlesDone:
    """A sub-writer's answer to `_Articles`."""

    start: int
    value: object


@dataclass
class _SubWriterFailed:
    """Sent by a sub-writer that failed: what went wrong, as the parent will raise it."""

    errno: int | None
    message: str

    def error(self) -> OSError:
        return OSError(self.errno, self.message) if self.errno else OSError(self.message)


def _describe(exc: BaseException) -> tuple[int | None, str]:
    if isinstance(exc, OSError) and exc.errno:
        return exc.errno, exc.strerror or str(exc)
    return None, f"an indexing sub-process failed ({type(exc).__name__}: {exc})"


def _die_with_parent(parent: int) -> None:
    """Make this (forked) process end when `parent` does, even if it is killed outright."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # elsewhere: watch for being handed to another parent
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
