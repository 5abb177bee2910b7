"""Schemathesis hooks for lotse's API (used by fuzz/api.sh).

`POST /api/v1/batch` takes JSON Lines (application/x-ndjson): a generated body is sent as the
lines of its JSON values (a string as it is), so the batch endpoint is fuzzed too; its answer
is read back line by line.
"""
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, list):
        return "\n".join(json.dumps(v) for v in value).encode("utf-8")
    return json.dumps(value).encode("utf-8")


@schemathesis.deserializer("application/x-ndjson")
def ndjson_answer(ctx, response):
    # Every line must be JSON; the schema describes one line, so the first is checked.
    lines = [json.loads(line) for line in response.content.decode("utf-8").splitlines() if line]
    return lines[0] if lines else None
