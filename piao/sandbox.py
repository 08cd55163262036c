"""Run a callable in a child process with a wall-time and a memory limit.

Hostile documents (decompression bombs, reference loops, fuzzer output) can
make a parser allocate gigabytes or spin forever; a batch over hundreds of
files must survive them. `run_limited` forks a worker, caps its address space
(RLIMIT_AS) and kills it at the deadline. The caller gets the return value, the
exception the callable raised (re-raised as is), or a SandboxError saying
which limit was hit.

The worker may ask for more time once it knows how much work it has
(`extend_time`, e.g. the PDF reader before it OCRs 80 scanned pages), up to a
ceiling the caller set (`Limits.max_time_s`): a hostile file cannot ask for more.

POSIX only (fork + resource limits), like the rest of the batch tooling.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

_MB = 1024 * 1024
_OOM_SIGNALS = ("SIGSEGV", "SIGABRT", "SIGKILL", "SIGBUS")


class SandboxError(Exception):
    """The worker was stopped: kind is "timeout", "memory" or "crashed"."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __reduce__(self) -> tuple:
        return (type(self), (self.kind, self.message))

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    time_s: float = 60.0
    memory_mb: int = 1024  # address space the worker may add to what it inherits at fork
    # The most wall time the worker can get by asking for more (extend_time); None:
    # time_s is final.
    max_time_s: float | None = None

    def extended(self, current_s: float, more_s: float) -> float:
        """The time limit after the worker asked for `more_s` seconds on top of `current_s`."""
        ceiling = max(self.time_s, self.max_time_s or self.time_s)
        return min(current_s + max(more_s, 0.0), ceiling)


# In a worker: its pipe to the parent, its limits and its current time limit.
_channel: tuple[Any, Limits, list[float]] | None = None
_started: float = 0.0  # time.monotonic() when the worker started


def time_left() -> float | None:
    """Seconds until this worker's deadline (its current time limit), None outside a
    sandbox worker. A worker that starts a tool of its own (LibreOffice) gives it this
    much at most: the sandbox kills the worker at the deadline, not the worker's children."""
    if _channel is None:
        return None
    return max(_channel[2][0] - (time.monotonic() - _started), 0.0)


def extend_time(more_s: float) -> float | None:
    """Ask for `more_s` more seconds of wall time; returns the new limit (capped at
    Limits.max_time_s). Outside a sandbox worker: does nothing, returns None."""
    if _channel is None:
        return None
    conn, limits, current = _channel
    granted = limits.extended(current[0], more_s)
    if granted > current[0]:
        current[0] = granted
        conn.send_bytes(pickle.dumps((_EXTEND, granted)))
    return granted


_EXTEND = "extend"  # message tag: the worker's new time limit, not its outcome


def _address_space() -> int:
    """Current virtual size of this process in bytes (Linux: /proc/self/statm)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _worker(conn: Any, limits: Limits, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    # The forked child inherits the parent's mappings, which count against RLIMIT_AS:
    # the limit is what it may add on top.
    cap = _address_space() + limits.memory_mb * _MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)  # an unprivileged process cannot raise its hard limit
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    global _channel, _started
    _channel = (conn, limits, [limits.time_s])
    _started = time.monotonic()
    try:
        outcome: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        outcome = ("raised", _travelling(exc))
    try:
        payload = pickle.dumps(outcome)
        if outcome[0] == "raised":
            pickle.loads(payload)  # exceptions with custom __init__ may pickle yet fail to load
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    except Exception:  # describe what cannot travel instead of losing it
        value = outcome[1]
        described = (
            f"{type(value).__name__}: {value}" if outcome[0] == "raised" else repr(value)[:200]
        )
        payload = pickle.dumps(("unpicklable", described))
    try:
        conn.send_bytes(payload)
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory", None)))
    finally:
        conn.close()


def _travelling(exc: BaseException) -> BaseException:
    """The exception without its traceback and chained causes, which stay in the child.

    Once dask.distributed is imported, tblib pickles tracebacks and __context__ chains,
    and the chain of a RecursionError (a PDF reference loop) is too deep to pickle. The
    formatted traceback travels as text for the log instead."""
    try:
        exc.child_traceback = "".join(traceback.format_exception(exc))[-20000:]
    except Exception:  # noqa: BLE001 - a traceback that cannot be formatted is not kept
        pass
    exc.__traceback__ = exc.__context__ = exc.__cause__ = None
    return exc


def run_limited(
    fn: Callable[..., T],
    *args: Any,
    limits: Limits = Limits(),
    **kwargs: Any,
) -> T:
    """fn(*args, **kwargs) in a forked child under `limits`; its result, or its exception."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    # Not daemonic: a daemonic batch worker (multiprocessing.Pool) could not start it.
    proc = ctx.Process(target=_worker, args=(send, limits, fn, args, kwargs))
    # The child's garbage collector leaves alone what it inherits: without the freeze
    # each of its full collections walks every object of the parent (the readers,
    # pyarrow, pandas), which made reading the 37-page sample ~15% slower. Only the
    # child keeps them frozen; the parent collects its own as before.
    gc.freeze()
    try:
        proc.start()
    finally:
        gc.unfreeze()
    send.close()  # the child holds the only write end: EOF on recv means it died
    try:
        outcome, limit_s = _wait(recv, limits)
    except BaseException:  # interrupted while waiting: do not leave the worker running
        proc.kill()
        proc.join()
        raise
    finally:
        recv.close()
    if outcome is None:
        proc.kill()
        proc.join()
        raise SandboxError("timeout", f"time limit {limit_s:g} s exceeded")
    proc.join()
    if not outcome:
        raise _crash(proc.exitcode, limits)

    status, value = outcome
    if status == "ok":
        return value
    if status == "raised":
        raise value
    if status == "memory":
        raise SandboxError("memory", f"memory limit {limits.memory_mb} MB exceeded")
    raise SandboxError("crashed", f"worker failed and its outcome cannot be returned ({value})")


def _wait(recv: Any, limits: Limits) -> tuple[tuple | None, float]:
    """The worker's outcome: a (status, value) tuple, () when it died without one, None
    at the deadline; and the time limit in force at the end (the worker may extend it)."""
    start, limit_s = time.monotonic(), limits.time_s
    while True:
        if not recv.poll(max(start + limit_s - time.monotonic(), 0.0)):
            return None, limit_s
        try:
            message = pickle.loads(recv.recv_bytes())
        except EOFError:
            return (), limit_s
        if message[0] == _EXTEND:  # bounded by the worker's own copy of the limits
            limit_s = limits.extended(limit_s, float(message[1]) - limit_s)
            continue
        return message, limit_s


def _crash(exitcode: int | None, limits: Limits) -> SandboxError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        # A C extension that cannot allocate under RLIMIT_AS often aborts or segfaults.
        hint = ""
        if name in _OOM_SIGNALS:
            hint = f" (possibly out of memory: limit {limits.memory_mb} MB)"
        return SandboxError("crashed", f"worker crashed (signal {name}){hint}")
    return SandboxError("crashed", f"worker exited unexpectedly (exit code {exitcode})")
