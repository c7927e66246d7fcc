"""Runs PyPI scim2-tester against the demo PSA's SCIM 2.0 endpoint and prints one line per check.

Usage: scim2_tester_demo.py <demo base URL, e.g. http://localhost:8788/psa/scim/v2> <token>
Exit code 1 when a check of something the demo implements fails.
"""

import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
    scim = SyncSCIMClient(http)
    scim.discover()
    results = check_server(scim)
    failed = 0
    for it in results:
        print(f"{it.status.name}\t{it.title}\t{(it.reason or '')[:160]}")
        if it.status == Status.ERROR:
            failed += 1
    print(f"checks: {len(results)}, errors: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
