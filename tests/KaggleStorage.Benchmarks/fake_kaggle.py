"""A minimal stand-in for Kaggle for the download benchmark, on loopback only: the RPC API
(POST /v1/datasets.DatasetApiService/{GetDataset,ListDatasetFiles,DownloadDataset}) and the REST API v1
(GET /api/v1/datasets/{view,list,download}/...), whose downloads redirect to a storage path that serves the zip
with Content-Length, ETag, Accept-Ranges and Range, by sendfile so the server is not what is measured.
Usage: fake_kaggle.py <zip> <port>"""
import json, os, sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

ZIP, PORT = sys.argv[1], int(sys.argv[2])
SIZE = os.path.getsize(ZIP)
ETAG = '"%x-%x"' % (SIZE, int(os.path.getmtime(ZIP)))

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self):
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:%d/storage/data.zip?X-Goog-Signature=bench" % PORT)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, method):
        if method in ("GetDataset", "view"):
            self._json({"ref": "bench/bench", "title": "benchmark", "currentVersionNumber": 1, "totalBytes": SIZE})
        elif method in ("ListDatasetFiles", "list"):
            self._json({"datasetFiles": [{"name": "all.zip", "totalBytes": SIZE}], "nextPageToken": ""})
        elif method in ("DownloadDataset", "download"):
            self._redirect()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(self.path.rsplit("/", 1)[-1])

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/api/v1/datasets/"):
            self._answer(path.split("/")[4])
        elif path == "/storage/data.zip":
            start = int(self.headers["Range"][6:].rstrip("-")) if self.headers.get("Range") else 0
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(SIZE - start))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", ETAG)
            if start:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, SIZE - 1, SIZE))
            self.end_headers()
            with open(ZIP, "rb") as f:
                self.connection.sendfile(f, offset=start)
        else:
            self._answer("")

ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
