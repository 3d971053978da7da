"""`python -m integrations.case_api`: serves the reference case API on CASE_API_HOST:CASE_API_PORT."""
from __future__ import annotations

import uvicorn

from integrations.case_api.server import create_case_api
from integrations.case_api.settings import CaseApiSettings


def main() -> None:
    settings = CaseApiSettings()
    # No access log: the service's middleware logs method, route and status without personal data.
    uvicorn.run(create_case_api(settings), host=settings.case_api_host, port=settings.case_api_port, access_log=False)


if __name__ == "__main__":
    main()
