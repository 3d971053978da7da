"""`make bench`: N concurrent web-chat conversations through the service, side by side with the bare
Rasa REST endpoint of the same model, in one run. Reports figures; it is not a test and asserts nothing."""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from integrations.stack.model import ensure_model  # noqa: E402
from integrations.stack.prepare import prepare_database  # noqa: E402
from integrations.stack.runner import Stack, StackConfig  # noqa: E402

SCRIPT = [
    "hello",
    "what is a family hub",
    "which hub is nearest to Foleshill",
    "is it free",
    "thanks",
    "bye",
]


@dataclass
class Result:
    target: str
    concurrency: int
    latencies: list[float]
    errors: int
    wall: float

    def row(self) -> str:
        lat = sorted(self.latencies)
        q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [lat[0]] * 99
        return (
            f"| {self.target} | {self.concurrency} | {len(lat)} | {len(lat) / self.wall:.1f} | "
            f"{q[49] * 1000:.0f} | {q[94] * 1000:.0f} | {q[98] * 1000:.0f} | {self.errors} |"
        )


def merge(parts: list[Result]) -> Result:
    return Result(
        parts[0].target, parts[0].concurrency, [x for p in parts for x in p.latencies],
        sum(p.errors for p in parts), sum(p.wall for p in parts),
    )


async def service_conversation(http: httpx.AsyncClient, rounds: int, latencies: list[float]) -> int:
    created = (await http.post("/api/chat/conversations")).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    url = f"/api/chat/conversations/{created['conversation_id']}/messages"
    errors = 0
    for _ in range(rounds):
        for text in SCRIPT:
            started = time.perf_counter()
            response = await http.post(url, json={"text": text}, headers=headers)
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200
    return errors


async def rasa_conversation(http: httpx.AsyncClient, rounds: int, latencies: list[float]) -> int:
    sender = str(uuid.uuid4())
    await http.post("/webhooks/rest/webhook", json={"sender": sender, "message": "/greet"})
    errors = 0
    for _ in range(rounds):
        for text in SCRIPT:
            started = time.perf_counter()
            response = await http.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200
    return errors


async def run(target: str, base_url: str, concurrency: int, rounds: int) -> Result:
    latencies: list[float] = []
    conversation = service_conversation if target == "service" else rasa_conversation
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as http:
        started = time.perf_counter()
        errors = await asyncio.gather(*(conversation(http, rounds, latencies) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return Result(target, concurrency, latencies, sum(errors), wall)


def rss_mb(stack: Stack) -> dict[str, float]:
    """Resident memory of each process and its children (Sanic and uvicorn may fork)."""
    sizes = {}
    for process in stack.processes:
        root = psutil.Process(process.popen.pid)
        members = [root, *root.children(recursive=True)]
        sizes[process.name] = sum(p.memory_info().rss for p in members if p.is_running()) / 2**20
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 20])
    parser.add_argument("--rounds", type=int, default=2, help="times each conversation runs the script")
    parser.add_argument("--out", type=Path, default=Path("var/bench/latest.md"))
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="frontdoor-bench-"))
    config = StackConfig.private(model=ensure_model(), var_dir=var_dir)
    prepare_database(config.service_env()["DATABASE_URL"])
    lines = [
        f"Script: {len(SCRIPT)} messages x {args.rounds} rounds per conversation: {SCRIPT}; each target runs twice "
        "per concurrency in A-B-B-A order and the two runs are pooled.",
        "",
        "| target | conversations | messages | msg/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with Stack(config) as stack:
        stack.wait_healthy()
        asyncio.run(run("service", config.service_url, 2, 1))  # warm-up: model graphs, caches, connections
        asyncio.run(run("bare rasa", config.rasa_url, 2, 1))
        results = []
        targets = {"bare rasa": config.rasa_url, "service": config.service_url}
        for concurrency in args.concurrency:
            # A-B-B-A order, pooled: neither target always runs first (warm caches, a growing tracker store).
            runs = [asyncio.run(run(t, targets[t], concurrency, args.rounds)) for t in ("bare rasa", "service", "service", "bare rasa")]
            for target in targets:
                result = merge([r for r in runs if r.target == target])
                results.append(result)
                lines.append(result.row())
                print(lines[-1], flush=True)
        memory = rss_mb(stack)
    overhead = []
    for concurrency in args.concurrency:
        bare, service = (next(r for r in results if r.target == t and r.concurrency == concurrency) for t in ("bare rasa", "service"))
        p50_bare, p50_service = statistics.median(bare.latencies), statistics.median(service.latencies)
        overhead.append(f"- {concurrency} conversations: the service adds {(p50_service / p50_bare - 1) * 100:+.1f} % to the median latency "
                        f"({p50_bare * 1000:.0f} -> {p50_service * 1000:.0f} ms) and changes throughput by "
                        f"{(len(service.latencies) / service.wall) / (len(bare.latencies) / bare.wall) * 100 - 100:+.1f} %")
    lines += ["", *overhead, "", "RSS after the run: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items())]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
