"""A minimal stand-in for Kaggle's API v1 for the download benchmark: serves datasets/view, datasets/list and a
zip behind a redirect, from loopback only. Usage: fake_kaggle.py <zip> <port>"""
import json, os, sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

ZIP, PORT = sys.argv[1], int(sys.argv[2])
SIZE = os.path.getsize(ZIP)

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/api/v1/datasets/view/"):
            self._json({"ref": path[22:], "title": "benchmark", "currentVersionNumber": 1, "totalBytes": SIZE})
        elif path.startswith("/api/v1/datasets/list/"):
            self._json({"datasetFiles": [{"name": "all.zip", "totalBytes": SIZE}], "errorMessage": None, "nextPageToken": ""})
        elif path.startswith("/api/v1/datasets/download/"):
            self.send_response(302)
            self.send_header("Location", "/storage/data.zip")
            self.end_headers()
        elif path == "/storage/data.zip":
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(SIZE))
            self.end_headers()
            with open(ZIP, "rb") as f:
                while chunk := f.read(1 << 20):
                    self.wfile.write(chunk)
        else:
            self.send_response(404)
            self.end_headers()

ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
