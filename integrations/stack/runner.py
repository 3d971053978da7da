"""Start, watch and stop every process of the front door: used by `make run` and the end-to-end tests."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from integrations.core.settings import REPO_ROOT
from integrations.stack.backends import ScaledBackends
from integrations.stack.model import RASA_BIN, rasa_env
from integrations.stack.secrets_file import NAMES as SECRET_NAMES

SERVICE_BIN = REPO_ROOT / ".venv" / "svc" / "bin"


@dataclass
class StackConfig:
    model: Path
    var_dir: Path
    secrets: dict[str, str]
    service_port: int = 8000
    # One Rasa server per port in use: the first only on the embedded default, `workers` of them on the scale-out profile.
    rasa_ports: tuple[int, ...] = (5005, 5006)
    actions_port: int = 5055
    case_api_port: int = 8100
    twilio_fake_port: int = 8200
    # A made-up account for the fake Twilio API, shared by the service and the fake for one run.
    twilio_account_sid: str = field(default_factory=lambda: "AC" + secrets.token_hex(16))
    database_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    # None: the embedded default (SQLite files in var_dir, one process each). Set: the scale-out profile
    # (PostgreSQL and Redis; scaled_workers uvicorn workers, Rasa servers and action-server Sanic workers).
    backends: ScaledBackends | None = None
    scaled_workers: int = 2

    @classmethod
    def private(cls, *, model: Path, var_dir: Path, scaled: bool = False, **overrides) -> "StackConfig":
        """A stack of its own (tests, benchmark, evaluation): free ports, fresh secrets, ENVIRONMENT=test;
        scaled=True gives it databases of its own on the scale-out backends (drop them with backends.drop())."""
        if scaled:
            overrides["backends"] = ScaledBackends.private()
        return cls(
            model=model, var_dir=var_dir,
            secrets={name: secrets.token_urlsafe(32) for name in SECRET_NAMES},
            service_port=free_port(), rasa_ports=tuple(free_port() for _ in range(max(2, overrides.get("scaled_workers", 2)))),
            actions_port=free_port(), case_api_port=free_port(),
            twilio_fake_port=free_port(),
            extra_env={"ENVIRONMENT": "test", **overrides.pop("extra_env", {})}, **overrides,
        )

    @property
    def workers(self) -> int:
        """Service processes (uvicorn workers), Rasa servers and action-server Sanic workers."""
        return self.scaled_workers if self.backends else 1

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.service_port}"

    @property
    def rasa_ports_in_use(self) -> tuple[int, ...]:
        """One port per Rasa server: `workers` of them."""
        if self.workers > len(self.rasa_ports):
            raise ValueError(f"{self.workers} Rasa servers need {self.workers} rasa_ports, not {len(self.rasa_ports)}")
        return self.rasa_ports[:self.workers]

    @property
    def rasa_urls(self) -> list[str]:
        """Every Rasa server the service balances turns across (integrations/rasa/client.py)."""
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports_in_use]

    @property
    def rasa_url(self) -> str:
        """The first Rasa server (the only one on the embedded default)."""
        return self.rasa_urls[0]

    def rasa_status_url(self, port: int) -> str:
        """A Rasa server's /status: 200 once its model is loaded."""
        return f"http://127.0.0.1:{port}/status?token={self.secrets['RASA_TOKEN']}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def case_api_url(self) -> str:
        return f"http://127.0.0.1:{self.case_api_port}"

    @property
    def twilio_fake_url(self) -> str:
        return f"http://127.0.0.1:{self.twilio_fake_port}"

    def prepare(self) -> int:
        """Creates the scale-out databases if needed, then migrates and seeds the service's; returns the
        number of content items added."""
        from integrations.stack.prepare import prepare_database  # the service's code: imported only when used

        if self.backends is not None:
            self.backends.create()
        return prepare_database(self.service_env()["DATABASE_URL"])

    def service_env(self) -> dict[str, str]:
        return {
            **self.secrets,
            "DATABASE_URL": self.database_url or (
                self.backends.url("service") if self.backends else f"sqlite:///{self.var_dir / 'frontdoor.db'}"),
            "RASA_URL": ",".join(self.rasa_urls),
            "ACTION_SERVER_URL": self.actions_url,
            "PUBLIC_BASE_URL": self.service_url,
            "CASE_API_URL": self.case_api_url,
            # The twilio library sends to the fake Twilio API; production sets the real account and no base URL.
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "TWILIO_API_BASE_URL": self.twilio_fake_url,
            **self.extra_env,
        }

    def case_api_env(self) -> dict[str, str]:
        """The reference case API: its own SQLite file next to the service's, the token the service sends."""
        return {
            "CASE_API_TOKEN": self.secrets["CASE_API_TOKEN"],
            "CASE_API_DATABASE_URL": self.backends.url("case_api") if self.backends else f"sqlite:///{self.var_dir / 'case_api.db'}",
            "CASE_API_HOST": "127.0.0.1",
            "CASE_API_PORT": str(self.case_api_port),
            **self.extra_env,
        }


    def twilio_fake_env(self) -> dict[str, str]:
        """The fake Twilio API: the account and auth token the service uses; it posts status callbacks back."""
        return {
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": self.secrets["TWILIO_AUTH_TOKEN"],
            "TWILIO_FAKE_HOST": "127.0.0.1",
            "TWILIO_FAKE_PORT": str(self.twilio_fake_port),
            **self.extra_env,
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path
    port: int | None = None  # tells apart the processes of a part that has several (the Rasa servers)


class Stack:
    """Every process, each in its own process group so that stopping it stops its children too."""

    def __init__(self, config: StackConfig):
        self.config = config
        self.processes: list[Process] = []
        (config.var_dir / "logs").mkdir(parents=True, exist_ok=True)

    def _start(self, name: str, command: list[str], env: dict[str, str], port: int | None = None) -> None:
        log_path = self.config.var_dir / "logs" / (f"{name}-{port}.log" if port else f"{name}.log")
        log = open(log_path, "ab")
        popen = subprocess.Popen(
            command, cwd=REPO_ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(Process(name, popen, log_path, port))

    def start(self) -> None:
        c = self.config  # the scale-out databases exist: StackConfig.prepare() made them
        self._start_case_api()
        self._start("twilio_fake", [str(SERVICE_BIN / "python"), "-m", "integrations.twilio_fake"], c.twilio_fake_env())
        self._start_actions()
        self._start_rasa()
        self._start_service()

    def _start_actions(self, env: dict[str, str] | None = None) -> None:
        c = self.config
        self._start("actions", [str(RASA_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "-p", str(c.actions_port)], {
            **rasa_env(),
            "SANIC_HOST": "127.0.0.1",
            "FRONTDOOR_INTERNAL_URL": c.service_url,
            "INTERNAL_API_TOKEN": c.secrets["INTERNAL_API_TOKEN"],
            "SANIC_WORKERS": str(c.workers),
            **c.extra_env, **(env or {}),
        })

    def _start_rasa(self, env: dict[str, str] | None = None, ports: list[int] | None = None) -> None:
        """One Rasa server per port in use (or those given), each one Sanic worker: Sanic workers sharing a socket split the
        service's connections unevenly, so the service balances turns across servers itself."""
        c = self.config
        for port in ports or c.rasa_ports_in_use:
            self._start("rasa", [
                str(RASA_BIN / "rasa"), "run", "--model", str(c.model),
                "--endpoints", "endpoints.scaled.yml" if c.backends else "endpoints.yml",
                "--credentials", "credentials.yml", "--enable-api", f"--auth-token={c.secrets['RASA_TOKEN']}",  # "=": a token may start with "-"
                "-i", "127.0.0.1", "-p", str(port),
            ], {
                **rasa_env(),
                "ACTION_ENDPOINT_URL": f"{c.actions_url}/webhook",
                "TRACKER_DB": str(c.var_dir / "rasa_tracker.db"),
                # Servers sharing one tracker store need the Redis lock store, so that one conversation's turns never interleave.
                **(c.backends.rasa_env() if c.backends else {}),
                "SANIC_WORKERS": "1",
                **c.extra_env, **(env or {}),
            }, port=port)

    def _start_service(self, env: dict[str, str] | None = None) -> None:
        c = self.config
        self._start("service", [
            str(SERVICE_BIN / "uvicorn"), "integrations.app:create_app", "--factory", "--host", "127.0.0.1",
            "--port", str(c.service_port), "--no-access-log", "--workers", str(c.workers),
        ], {**c.service_env(), **(env or {})})

    def _start_case_api(self, env: dict[str, str] | None = None) -> None:
        self._start("case_api", [str(SERVICE_BIN / "python"), "-m", "integrations.case_api"], {
            **self.config.case_api_env(), **(env or {}),
        })

    def wait_healthy(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        self._wait_for(f"{self.config.case_api_url}/healthz", deadline, what="the case API")
        self._wait_for(f"{self.config.twilio_fake_url}/healthz", deadline, what="the fake Twilio API")
        # Every Rasa server: the service's /healthz is already 200 while only one of several answers (degraded).
        for port in self.config.rasa_ports_in_use:
            self._wait_for(self.config.rasa_status_url(port), deadline, what=f"Rasa on port {port}")
        self._wait_for(f"{self.config.service_url}/healthz", deadline, what="the stack")

    def _wait_for(self, url: str, deadline: float, *, what: str) -> None:
        started, last = time.monotonic(), "no answer yet"
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.popen.poll() is not None:
                    raise RuntimeError(f"{process.name} exited with {process.popen.returncode}; see {process.log_path}")
            try:
                response = httpx.get(url, timeout=5.0)
                if response.status_code == 200:
                    return
                last = response.text
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            time.sleep(0.5)
        raise TimeoutError(f"{what} was not healthy after {time.monotonic() - started:.0f}s: {last}")

    def stop_part(self, name: str, *, grace: float = 10.0, kill: bool = False, port: int | None = None) -> None:
        """Stops one part ("case_api", "service", "rasa" or "actions"; with `port`, only that Rasa server): an outage,
        or with kill=True a crash (SIGKILL, no clean shutdown), for the end-to-end tests; start_part brings it back."""
        parts = [process for process in self.processes if process.name == name and port in (None, process.port)]
        if kill:
            for process in parts:
                if process.popen.poll() is None:
                    os.killpg(process.popen.pid, signal.SIGKILL)
        self._stop(parts, grace)

    def start_part(self, name: str, *, env: dict[str, str] | None = None, timeout: float = 120.0, port: int | None = None) -> None:
        """Starts "case_api", "service", "rasa" (with `port`, only that Rasa server) or "actions" again on its port
        and waits until it answers.

        `env` adds settings for this run, e.g. {"CASE_API_RESPONSE_DELAY_SECONDS": "5"}."""
        c = self.config
        rasa_ports = [port] if port is not None else c.rasa_ports_in_use
        starters = {
            "case_api": (self._start_case_api, [f"{c.case_api_url}/healthz"]),
            "service": (self._start_service, [f"{c.service_url}/healthz"]),
            "rasa": (lambda env: self._start_rasa(env, ports=rasa_ports),
                     [c.rasa_status_url(p) for p in rasa_ports]),
            "actions": (self._start_actions, [f"{c.actions_url}/health"]),
        }
        start, urls = starters[name]
        previous = [process for process in self.processes if process.name == name and port in (None, process.port)]
        if any(process.popen.poll() is None for process in previous):
            raise RuntimeError(f"{name} is already running; stop_part({name!r}) first")
        self._stop(previous, grace=0)  # one that exited on its own: forget it
        start(env)
        deadline = time.monotonic() + timeout
        for url in urls:
            self._wait_for(url, deadline, what=name)

    def stop(self, grace: float = 10.0) -> None:
        self._stop(list(self.processes), grace)

    def _stop(self, processes: list[Process], grace: float) -> None:
        for process in processes:
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in processes:
            try:
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()
            self.processes.remove(process)

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
