"""Real deploy test (npm run e2e): score the online endpoint from inside the managed network.

Runs as an Azure ML command job on the platform's CPU cluster. Only the standard library: the token
comes from the compute's managed identity endpoint, which Azure ML exposes as MSI_ENDPOINT and
MSI_SECRET (api-version 2017-09-01, `secret` header; azure-identity's AzureMLCredential uses the same),
for the audience online endpoints accept (https://ml.azure.com). Exit code 0 only for a 200 answer
with one prediction per row.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

AUDIENCE = "https://ml.azure.com"
# A role assignment made minutes ago may not apply yet, and a new endpoint's DNS may lag: 401/403 and
# network errors are retried for a while.
RETRY_FOR_SECONDS = 15 * 60
ROWS = [[-1.2, 0.3, 1.5], [2.0, -0.4, -1.1]]


def token(client_id: str) -> str:
    query = urllib.parse.urlencode({"api-version": "2017-09-01", "resource": AUDIENCE, "clientid": client_id})
    request = urllib.request.Request(f"{os.environ['MSI_ENDPOINT']}?{query}", headers={"secret": os.environ["MSI_SECRET"]})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access_token"]


def score(uri: str, client_id: str) -> object:
    # The MLflow no-code scoring input (pandas split orientation).
    body = {"input_data": {"columns": ["tenure_months", "monthly_charges", "support_calls"], "index": list(range(len(ROWS))), "data": ROWS}}
    request = urllib.request.Request(
        uri,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token(client_id)}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def main() -> int:
    uri, client_id = os.environ["SCORING_URI"], os.environ["E2E_CLIENT_ID"]
    deadline = time.time() + RETRY_FOR_SECONDS
    while True:
        try:
            result = score(uri, client_id)
            break
        except urllib.error.HTTPError as error:
            detail = error.read()[:2000].decode(errors="replace")
            if error.code in (401, 403) and time.time() < deadline:
                print(f"HTTP {error.code} (role assignment not applied yet?), retrying: {detail}", flush=True)
                time.sleep(30)
                continue
            print(f"scoring failed with HTTP {error.code}: {detail}", file=sys.stderr)
            return 1
        except urllib.error.URLError as error:
            if time.time() < deadline:
                print(f"cannot reach {uri} ({error.reason}), retrying", flush=True)
                time.sleep(30)
                continue
            print(f"cannot reach {uri}: {error.reason}", file=sys.stderr)
            return 1
    predictions = result.get("predictions", result) if isinstance(result, dict) else result
    print(f"scored {len(ROWS)} rows: {json.dumps(result)[:2000]}")
    if not isinstance(predictions, list) or len(predictions) != len(ROWS):
        print(f"expected {len(ROWS)} predictions", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
