"""`make bench`'s CPU profile: py-spy samples of the Rasa servers and the service workers while the scale-out
profile is under load, summarised as where their time goes. It reports; it asserts nothing."""
from __future__ import annotations

import collections
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

PY_SPY = Path(sys.executable).with_name("py-spy")
FRONT_DOOR = {"bot", "actions", "integrations", "tools"}
SAMPLES_PER_SECOND = 50
# The event loop waiting for I/O: the leaf frames of an idle Sanic or uvicorn process.
IDLE_LEAVES = {"serve", "run_forever", "_run_once", "select", "poll", "wait", "_worker", "accept"}
# Steps of one Rasa turn (rasa/core/processor.py, agent.py): time inside each, callees included.
RASA_STEPS = {
    "log_message": "the turn: load the tracker, NLU, save",
    "_parse_message_with_graph": "NLU pipeline (tokenise, featurise, DIET, RHRT recogniser)",
    "_predict_next_with_tracker": "dialogue policies (Memoization, Rule, TED)",
    "_run_action": "running actions (action server calls, result validation)",
    "_validate_action_result": "  of which jsonschema validation of action results",
    "fetch_tracker_and_update_session": "tracker store: load",
    "save_tracker": "tracker store: save",
}


def processes_by_part(stack) -> Iterator[tuple[str, psutil.Process]]:
    """(part, process) for every process of a stack, children included (Sanic and uvicorn workers), that is running."""
    for process in stack.processes:
        root = psutil.Process(process.popen.pid)
        for member in (root, *root.children(recursive=True)):
            if member.is_running():
                yield process.name, member


@dataclass
class Recording:
    part: str
    path: Path
    spy: subprocess.Popen


class Profiler:
    """Records every process (children included) of the named parts of a stack until stop()."""

    def __init__(self, stack, parts: tuple[str, ...] = ("rasa", "service")):
        self._stack, self._parts = stack, parts
        self._dir = Path(tempfile.mkdtemp(prefix="frontdoor-profile-"))
        self._recordings: list[Recording] = []

    @staticmethod
    def available() -> str | None:
        """None if py-spy can run here, else why not."""
        if not PY_SPY.exists():
            return f"{PY_SPY} is missing"
        return None

    def start(self) -> None:
        for part, member in processes_by_part(self._stack):
            if part not in self._parts:
                continue
            path = self._dir / f"{part}-{member.pid}.txt"  # py-spy leaves a non-Python child unrecorded
            spy = subprocess.Popen(
                [str(PY_SPY), "record", "--pid", str(member.pid), "--rate", str(SAMPLES_PER_SECOND), "--nonblocking",
                 "--format", "raw", "--output", str(path)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self._recordings.append(Recording(part, path, spy))

    def stop(self) -> list[str]:
        """Stops the recordings and returns the report's lines."""
        for recording in self._recordings:
            if recording.spy.poll() is None:
                recording.spy.send_signal(signal.SIGINT)  # py-spy writes what it has on Ctrl-C
        for recording in self._recordings:
            try:
                recording.spy.wait(30)
            except subprocess.TimeoutExpired:
                recording.spy.kill()
        by_part: dict[str, list[Path]] = collections.defaultdict(list)
        for recording in self._recordings:
            if recording.path.exists():
                by_part[recording.part].append(recording.path)
        lines: list[str] = []
        for part, paths in by_part.items():
            lines += summarise(part, [load(path) for path in paths])
        return lines


Stacks = list[tuple[list[str], int]]


def load(path: Path) -> Stacks:
    """py-spy's raw format: one line per distinct stack, "frame;frame;...;leaf count", root first."""
    stacks = []
    for line in path.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def function(frame: str) -> str:
    return frame.split(" (", 1)[0]


def package(frame: str) -> str:
    """Who a frame's file belongs to: a top-level package ("tensorflow", "rasa"), "front door (triage/)", or ""
    for the standard library. py-spy names files relative to their sys.path entry ("rasa/core/processor.py")."""
    path = frame.rpartition(" (")[2].rsplit(":", 1)[0]
    top = path.split("/", 1)[0].removesuffix(".py")
    if "/" not in path and not path.endswith(".py"):
        return ""  # a frame py-spy cannot place (compiled code, "<module>")
    if top in FRONT_DOOR:
        parts = path.split("/")
        return f"front door ({parts[-2]}/)" if len(parts) > 1 else "front door"
    return "" if top in sys.stdlib_module_names else top


def is_idle(frames: list[str]) -> bool:
    return function(frames[-1]) in IDLE_LEAVES and all(package(f) in ("", "sanic", "uvicorn", "uvloop", "anyio") for f in frames[-3:])


def summarise(part: str, recordings: list[Stacks]) -> list[str]:
    samples = [(frames, n) for stacks in recordings for frames, n in stacks]
    busy = [(frames, n) for frames, n in samples if not is_idle(frames)]
    busy_total = sum(n for _, n in busy)
    idle_total = sum(n for _, n in samples) - busy_total
    self_time: collections.Counter[str] = collections.Counter()
    steps: collections.Counter[str] = collections.Counter()
    for frames, n in busy:
        # Self time by package: the innermost frame that is not the standard library names who spent it.
        owner = next((p for p in map(package, reversed(frames)) if p), "standard library")
        self_time[owner] += n
        for name in {function(f) for f in frames} & RASA_STEPS.keys():
            steps[name] += n
    lines = [f"CPU profile of {part} ({len(recordings)} processes, py-spy at {SAMPLES_PER_SECOND} samples/s): "
             f"{busy_total} samples busy, {idle_total} in an event loop waiting for I/O "
             "(py-spy leaves out the idle threads it recognises).", "",
             "| where the busy time is spent (innermost package) | share |", "|---|---|"]
    share = 100 / max(busy_total, 1)
    lines += [f"| {name} | {n * share:.1f} % |" for name, n in self_time.most_common(8)]
    if steps:
        lines += ["", "| step of a Rasa turn (callees included) | share of busy time |", "|---|---|"]
        lines += [f"| {RASA_STEPS[name]} | {steps[name] * share:.1f} % |" for name in RASA_STEPS if name in steps]
    return lines + [""]
