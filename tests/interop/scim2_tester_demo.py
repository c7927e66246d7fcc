"""Runs PyPI scim2-tester against a demo module's SCIM 2.0 endpoint; prints one line per check.

Usage: scim2_tester_demo.py <demo base URL, e.g. http://localhost:8788/psa/scim/v2> <token>

The tester reads the endpoint's ServiceProviderConfig (features marked `supported: false`, such
as sort, ETags, bulk and changePassword, are skipped by the tester itself), its ResourceTypes and
its Schemas (values are drawn from each attribute's `canonicalValues`, so licenseType and
securityLevel get values the module accepts). Its CRUD suite runs on the User resource type
only: the demo's SecurityLevel resource type is read-only by design, and scim2-tester has no
notion of a read-only resource type (its suite always POSTs, PUTs, PATCHes and DELETEs), so it is
checked by discovery here (its ResourceType and Schema) and by reads in tests/demo.test.mjs.

Prints `SKIPPED`/`SUCCESS`/`ERROR` lines, then `checks: N, errors: E, skipped: S`.
Exit code 1 when any check fails.
"""

import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

# The resource types the tester's CRUD suite runs on (see the module docstring).
WRITABLE_RESOURCE_TYPES = ["User"]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
    scim = SyncSCIMClient(http)
    scim.discover()
    print("note\tCRUD checks on resource types " + ", ".join(WRITABLE_RESOURCE_TYPES)
          + " only; SecurityLevel is read-only (discovery checks still run)")
    results = check_server(scim, resource_types=WRITABLE_RESOURCE_TYPES)
    failed = skipped = 0
    for it in results:
        reason = " ".join((it.reason or "").split())
        print(f"{it.status.name}\t{it.title}\t{reason[:400]}")
        if it.status == Status.ERROR:
            failed += 1
        elif it.status == Status.SKIPPED:
            skipped += 1
    print(f"checks: {len(results)}, errors: {failed}, skipped: {skipped}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
