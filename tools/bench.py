"""`make bench`: N concurrent web-chat conversations of realistic multi-turn scripts through the service, on
the embedded default and on the scale-out profile, side by side with the bare Rasa REST endpoint of the same
model, in one run; then a CPU profile of the Rasa servers and the service under load on the last profile, and an
optional soak (`--soak-minutes`) reporting memory growth and 5xx answers.
Reports figures; it is not a test and asserts nothing."""
from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from integrations.stack.backends import ScaledBackends  # noqa: E402
from integrations.stack.model import ensure_model  # noqa: E402
from integrations.stack.runner import Stack, StackConfig  # noqa: E402
from tools.bench_profile import Profiler, processes_by_part  # noqa: E402

# ("say", text) is typed; ("press", payload) is a button the bot offered (Rasa reads a payload as "/intent").
SIGNPOSTING = [("say", "hello"), ("say", "what is a family hub"), ("say", "which hub is nearest to Foleshill"),
               ("say", "whats on at harmony tomorrow"), ("say", "is it free"), ("say", "thanks"), ("say", "bye")]
TRIAGE_AND_REQUEST = [
    ("say", "hi"),
    ("say", "my 13 year old refuses to go to school, she has not been in for 6 weeks and i am not coping"),
    ("press", "/request_early_help"), ("press", "/affirm"), ("say", "Sam Patel"), ("say", "07700 900123"),
    ("press", "text only"), ("say", "Amy 13, Josh 9"), ("say", "Foleshill"), ("press", "/affirm"),
    ("say", "weekday mornings"), ("say", "no"),
]
SCRIPTS = [SIGNPOSTING, TRIAGE_AND_REQUEST]
# A load test measures throughput, not the per-conversation limit a person would never reach.
BENCH_ENV = {"CHAT_MESSAGES_PER_MINUTE": "100000"}


@dataclass
class Result:
    target: str
    concurrency: int
    latencies: list[float]
    errors: int
    server_errors: int
    wall: float
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds each part used during these runs

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall

    def row(self) -> str:
        lat = sorted(self.latencies)
        q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [lat[0]] * 99
        return (f"| {self.target} | {self.concurrency} | {len(lat)} | {self.rate:.1f} | {q[49] * 1000:.0f} | "
                f"{q[94] * 1000:.0f} | {q[98] * 1000:.0f} | {self.errors} |")


def merge(parts: list[Result]) -> Result:
    cpu: dict[str, float] = {}
    for part in parts:
        for name, seconds in part.cpu.items():
            cpu[name] = cpu.get(name, 0.0) + seconds
    return Result(parts[0].target, parts[0].concurrency, [x for p in parts for x in p.latencies],
                  sum(p.errors for p in parts), sum(p.server_errors for p in parts), sum(p.wall for p in parts), cpu)


class Counts:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.server_errors = 0

    def add(self, started: float, status: int) -> None:
        self.latencies.append(time.perf_counter() - started)
        self.errors += status != 200
        self.server_errors += status >= 500


async def service_conversation(http: httpx.AsyncClient, script: list, counts: Counts) -> None:
    started = time.perf_counter()
    response = await http.post("/api/chat/conversations")
    if response.status_code != 201:
        counts.add(started, response.status_code)  # a chat that could not start is an error, not a crash
        return
    created = response.json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    url = f"/api/chat/conversations/{created['conversation_id']}/messages"
    for kind, value in script:
        started = time.perf_counter()
        response = await http.post(url, json={"text": value} if kind == "say" else {"payload": value}, headers=headers)
        counts.add(started, response.status_code)


async def rasa_conversation(http: httpx.AsyncClient, script: list, counts: Counts) -> None:
    sender = str(uuid.uuid4())
    await http.post("/webhooks/rest/webhook", json={"sender": sender, "message": "/greet"})
    for _, value in script:
        started = time.perf_counter()
        response = await http.post("/webhooks/rest/webhook", json={"sender": sender, "message": value})
        counts.add(started, response.status_code)


async def run(target: str, base_url: str, concurrency: int, *, until: float | None = None) -> Result:
    """`concurrency` conversations at once, alternating the scripts; with `until`, each starts another
    conversation when it finishes, until that time (the soak)."""
    counts = Counts()
    conversation = rasa_conversation if target.startswith("bare rasa") else service_conversation
    scripts = itertools.cycle(SCRIPTS)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=httpx.Limits(max_connections=concurrency + 5)) as http:
        async def one_after_another(script):
            await conversation(http, script, counts)
            while until is not None and time.monotonic() < until:
                await conversation(http, next(scripts), counts)

        started = time.perf_counter()
        await asyncio.gather(*(one_after_another(next(scripts)) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return Result(target, concurrency, counts.latencies, counts.errors, counts.server_errors, wall)


# Processes of the machine's own that share the cores: the scale-out profile's stores, by name prefix.
SHARED_SERVERS = {"postgres": "postgres", "redis": "redis-server"}


def rss_mb(stack: Stack) -> dict[str, float]:
    """Resident memory of each part: its processes (several Rasa servers) and their children."""
    sizes: dict[str, float] = {}
    for part, member in processes_by_part(stack):
        sizes[part] = sizes.get(part, 0.0) + member.memory_info().rss / 2**20
    return sizes


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time (user + system) used so far by each part, PostgreSQL, Redis and this load generator."""
    used: dict[str, float] = {}
    for part, member in processes_by_part(stack):
        times = member.cpu_times()
        used[part] = used.get(part, 0.0) + times.user + times.system
    used.update({name: 0.0 for name in SHARED_SERVERS})
    for member in psutil.process_iter(["name", "cpu_times"]):
        times, process_name = member.info["cpu_times"], member.info["name"] or ""
        for name, prefix in SHARED_SERVERS.items():
            if times is not None and process_name.startswith(prefix):
                used[name] += times.user + times.system
    me = psutil.Process().cpu_times()
    used["load generator"] = me.user + me.system
    return used


def timed_run(stack: Stack, target: str, url: str, concurrency: int) -> Result:
    """One run, with the CPU each part used during it."""
    before = cpu_seconds(stack)
    result = asyncio.run(run(target, url, concurrency))
    after = cpu_seconds(stack)
    result.cpu = {name: after[name] - before.get(name, 0.0) for name in after}
    return result


def cpu_per_message(results: list[Result], cores: int) -> list[str]:
    """Milliseconds of CPU per message, by part: the budget that bounds throughput on this machine."""
    parts = [name for name in results[0].cpu if any(r.cpu.get(name, 0) > 0.05 * r.wall for r in results)]
    lines = ["| target | conversations | " + " | ".join(parts) + " | all | msg/s these " + f"{cores} cores allow |",
             "|---|---|" + "---|" * (len(parts) + 2)]
    for r in results:
        per = {name: r.cpu.get(name, 0.0) / max(len(r.latencies), 1) * 1000 for name in parts}
        total = sum(per.values())
        lines.append(f"| {r.target} | {r.concurrency} | " + " | ".join(f"{per[n]:.0f}" for n in parts)
                     + f" | {total:.0f} | {cores * 1000 / total:.1f} |")
    return lines


def start_stack(scaled: bool) -> Stack:
    var_dir = Path(tempfile.mkdtemp(prefix="frontdoor-bench-"))
    config = StackConfig.private(model=ensure_model(), var_dir=var_dir, scaled=scaled, extra_env=BENCH_ENV)
    config.prepare()
    stack = Stack(config)
    stack.start()
    stack.wait_healthy()
    return stack


def stop_stack(stack: Stack) -> None:
    stack.stop()
    if stack.config.backends is not None:
        stack.config.backends.drop()


def measure(stack: Stack, targets: dict[str, str], levels: list[int], lines: list[str]) -> list[Result]:
    for name, url in targets.items():
        asyncio.run(run(name, url, 2))  # warm-up: model graphs, caches, connections
    results = []
    for concurrency in levels:
        # A-B-..-B-A order, pooled: no target always runs first (warm caches, a growing tracker store).
        order = [*targets, *reversed(targets)]
        runs = [timed_run(stack, t, targets[t], concurrency) for t in order]
        for target in targets:
            results.append(merge([r for r in runs if r.target == target]))
            lines.append(results[-1].row())
            print(lines[-1], flush=True)
    return results


def soak(stack: Stack, minutes: float, concurrency: int) -> list[str]:
    before = rss_mb(stack)
    result = asyncio.run(run("service", stack.config.service_url, concurrency, until=time.monotonic() + minutes * 60))
    after = rss_mb(stack)
    growth = ", ".join(f"{name} {before[name]:.0f} -> {after[name]:.0f} MB ({(after[name] / before[name] - 1) * 100:+.1f} %)"
                       for name in before)
    return [f"Soak: {minutes:g} min at {concurrency} concurrent conversations on the {profile_name(stack)} profile: "
            f"{len(result.latencies)} messages, {result.rate:.1f} msg/s, {result.errors} errors, {result.server_errors} 5xx.",
            f"RSS over the soak (after a warm-up run): {growth}"]


def profile_under_load(stack: Stack, concurrency: int) -> list[str]:
    """An extra run, not pooled with the measured ones (sampling costs a little CPU), with py-spy attached."""
    profiler = Profiler(stack)
    profiler.start()
    try:
        result = asyncio.run(run("service", stack.config.service_url, concurrency))
    finally:
        lines = profiler.stop()
    return [f"Profiled run: {concurrency} conversations on the {profile_name(stack)} profile, {len(result.latencies)} messages, "
            f"{result.rate:.1f} msg/s.", "", *lines]


def profile_name(stack: Stack) -> str:
    return "scale-out" if stack.config.backends else "embedded"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 20, 50])
    parser.add_argument("--profiles", nargs="+", choices=["embedded", "scaled"], default=["embedded", "scaled"])
    parser.add_argument("--soak-minutes", type=float, default=0, help="then a soak at --soak-concurrency (0: none)")
    parser.add_argument("--soak-concurrency", type=int, default=20)
    parser.add_argument("--profile-concurrency", type=int, default=20,
                        help="conversations during the CPU profile, an extra run on the last profile (0: no profile)")
    parser.add_argument("--out", type=Path, default=Path("var/bench/latest.md"))
    args = parser.parse_args()
    if "scaled" in args.profiles and (why := ScaledBackends("check").unreachable()):
        print(f"bench: leaving out the scale-out profile: {why}", file=sys.stderr)
        args.profiles.remove("scaled")

    lines = [
        f"Scripts, alternating between conversations: {[v for _, v in SIGNPOSTING]} and {[v for _, v in TRIAGE_AND_REQUEST]} "
        "(a level-3 disclosure and the request for early help up to the read-back). Each target runs twice per "
        "concurrency in A-B-..-B-A order and the two runs are pooled. 'bare rasa' is the embedded stack's own Rasa "
        "(`rasa run`, one Sanic worker) called on its REST channel.",
        "",
        "| target | conversations | messages | msg/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    results: list[Result] = []
    memory: dict[str, dict[str, float]] = {}
    soak_lines: list[str] = []
    profile_lines: list[str] = []
    if args.profile_concurrency and (why := Profiler.available()):
        print(f"bench: no CPU profile: {why}", file=sys.stderr)
        args.profile_concurrency = 0
    for profile in args.profiles:
        stack = start_stack(scaled=profile == "scaled")
        try:
            targets = {f"service ({profile_name(stack)})": stack.config.service_url}
            if profile == "embedded":
                targets = {"bare rasa": stack.config.rasa_url, **targets}
            results += measure(stack, targets, args.concurrency, lines)
            memory[profile_name(stack)] = rss_mb(stack)
            if args.profile_concurrency and profile == args.profiles[-1]:
                profile_lines = profile_under_load(stack, args.profile_concurrency)
            if args.soak_minutes and profile == args.profiles[-1]:
                soak_lines = soak(stack, args.soak_minutes, args.soak_concurrency)
        finally:
            stop_stack(stack)

    summary = []
    for concurrency in args.concurrency:
        at = {r.target: r for r in results if r.concurrency == concurrency}
        bare = at.get("bare rasa")
        for target, result in at.items():
            if bare is not None and target != "bare rasa":
                summary.append(f"- {concurrency} conversations, {target}: {result.rate / bare.rate:.2f}x the throughput of bare rasa, "
                               f"p50 {statistics.median(result.latencies) * 1000:.0f} ms (bare {statistics.median(bare.latencies) * 1000:.0f} ms)")
    lines += ["", *summary, ""]
    lines += [f"RSS after the {name} runs: " + ", ".join(f"{p} {mb:.0f} MB" for p, mb in sizes.items()) for name, sizes in memory.items()]
    lines += ["", "CPU per message (ms, user + system, during each target's runs; the last column is the throughput that "
              "budget allows if every core were busy, and bare rasa's one process can use about one):", "",
              *cpu_per_message(results, psutil.cpu_count())]
    lines += ["", *profile_lines] if profile_lines else []
    lines += ["", *soak_lines] if soak_lines else []
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
