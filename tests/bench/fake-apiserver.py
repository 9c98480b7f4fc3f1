#!/usr/bin/env python3
"""A scripted Kubernetes API server for the `paas logs` throughput benchmark (tests/bench/logs.sh).

Serves, over plain HTTP on 127.0.0.1:PORT, just what `paas logs` and `kubectl logs -l` ask for:
version and discovery, the list (and an idle watch) of PODS pods labelled for the app `bench`, and
each pod's log: LINES lines of about 100 bytes, with RFC 3339 times when `timestamps=true`.

    fake-apiserver.py PORT PODS LINES
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, PODS, LINES = (int(a) for a in sys.argv[1:4])
NAMESPACE = "bench"
LABELS = {"paas.dev/app": "bench", "app.kubernetes.io/managed-by": "paas"}


def pod(i):
    name = f"bench-5d8f7c9b4-{i:05d}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": NAMESPACE,
            "labels": LABELS,
            "resourceVersion": "10",
            "creationTimestamp": "2026-01-01T00:00:00Z",
            "uid": f"00000000-0000-0000-0000-{i:012d}",
        },
        "spec": {"containers": [{"name": "bench", "image": "bench"}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "bench",
                    "ready": True,
                    "restartCount": 0,
                    "image": "bench",
                    "imageID": "",
                    "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}},
                }
            ],
        },
    }


POD_LIST = json.dumps(
    {
        "apiVersion": "v1",
        "kind": "PodList",
        "metadata": {"resourceVersion": "10"},
        "items": [pod(i) for i in range(PODS)],
    }
).encode()


def log_body(timestamps):
    lines = []
    for n in range(LINES):
        text = f"GET /api/items/{n} 200 {n % 997}ms user-agent=bench request-id={n:012d} bytes=512"
        if timestamps:
            sec, nano = divmod(n, 1000)
            stamp = f"2026-01-01T{sec // 3600 % 24:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}.{nano * 1000000:09d}Z"
            lines.append(f"{stamp} {text}\n")
        else:
            lines.append(text + "\n")
    return "".join(lines).encode()


LOGS = {True: log_body(True), False: log_body(False)}
VERSION = json.dumps({"major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"}).encode()
API_VERSIONS = json.dumps({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}).encode()
API_GROUPS = json.dumps({"kind": "APIGroupList", "apiVersion": "v1", "groups": []}).encode()
API_V1 = json.dumps(
    {
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
             "verbs": ["get", "list", "watch"], "shortNames": ["po"]},
            {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
        ],
    }
).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, Nagle and delayed ACKs add 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, body, content_type="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        path = url.path
        if path == "/version":
            return self.send(VERSION)
        if path == "/api":
            return self.send(API_VERSIONS)
        if path == "/apis":
            return self.send(API_GROUPS)
        if path == "/api/v1":
            return self.send(API_V1)
        prefix = f"/api/v1/namespaces/{NAMESPACE}/pods"
        if path == prefix:
            if query.get("watch") == ["true"] or query.get("watch") == ["1"]:
                # An idle watch: headers, then nothing until the client goes away.
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                while True:
                    time.sleep(60)
            return self.send(POD_LIST)
        if path.startswith(prefix + "/") and path.endswith("/log"):
            timestamps = query.get("timestamps") == ["true"]
            return self.send(LOGS[timestamps], "text/plain")
        if path.startswith(prefix + "/"):
            name = path[len(prefix) + 1:]
            for i in range(PODS):
                if pod(i)["metadata"]["name"] == name:
                    return self.send(json.dumps(pod(i)).encode())
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                           "reason": "NotFound", "code": 404, "message": f"{path} not found"}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
