"""Thin async client for the front-door service's internal content API."""
from __future__ import annotations

import os

import httpx


class FrontDoorUnavailable(Exception):
    """The service could not be reached or answered with an error; the action says so kindly."""


class FrontDoorClient:
    def __init__(self, *, base_url: str, token: str, timeout_seconds: float = 5.0, transport: httpx.AsyncBaseTransport | None = None):
        self._base_url = base_url
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = httpx.Timeout(timeout_seconds, connect=2.0)
        self._transport = transport

    @classmethod
    def from_env(cls) -> "FrontDoorClient":
        return cls(
            base_url=os.environ.get("FRONTDOOR_INTERNAL_URL", "http://127.0.0.1:8000"),
            token=os.environ.get("INTERNAL_API_TOKEN", "development-only"),
            timeout_seconds=float(os.environ.get("FRONTDOOR_TIMEOUT_SECONDS", "5")),
        )

    async def _get(self, path: str, **params: str | int | None) -> dict:
        try:
            params = {k: v for k, v in params.items() if v is not None}
            async with httpx.AsyncClient(
                base_url=self._base_url, headers=self._headers, timeout=self._timeout, transport=self._transport
            ) as http:
                response = await http.get(path, params=params)
        except httpx.HTTPError as exc:
            raise FrontDoorUnavailable(type(exc).__name__) from exc
        if response.status_code != 200:
            raise FrontDoorUnavailable(f"HTTP {response.status_code} from {path}")
        try:
            return response.json()
        except ValueError as exc:
            raise FrontDoorUnavailable(f"non-JSON reply from {path}") from exc

    async def lookup_hub(self, query: str) -> dict:
        return await self._get("/internal/content/hubs/lookup", q=query)

    async def match_faq(self, question: str) -> dict | None:
        return (await self._get("/internal/content/faq/match", q=question))["match"]

    async def faq_by_id(self, faq_id: str) -> dict | None:
        return (await self._get(f"/internal/content/faq/{faq_id}"))["faq"]

    async def staffed(self) -> dict:
        return await self._get("/internal/frontdoor/staffed")

    async def contacts(self) -> dict[str, dict]:
        return {c["id"]: c for c in (await self._get("/internal/content/contacts"))["contacts"]}

    async def services(self, ids: list[str]) -> list[dict]:
        return (await self._get("/internal/content/services", ids=",".join(ids)))["services"]

    async def whats_on(self, text: str, *, hub: str | None = None, offset: int = 0, limit: int = 5) -> dict:
        return await self._get("/internal/content/whats-on", q=text, hub=hub, offset=offset, limit=limit)

    async def opening(self, text: str, *, hub: str | None = None) -> dict:
        return await self._get("/internal/content/hubs/opening", q=text, hub=hub)

    async def services_for(self, need: str) -> list[dict]:
        return (await self._get("/internal/content/services/match", q=need))["services"]
