"""The production front (deploy/nginx/default.conf.template, the compose stack's "front"),
run with the machine's nginx in front of the test server: a stored photo is served with
the content type of its format and nosniff, any other file as bytes to download, pages go
through to the portal, and a request over the size limit never reaches it. (Before, photos
never loaded in production: media was routed only in debug, and nothing served it.)"""

from __future__ import annotations

import io
import os
import shutil
import socket
import string
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from proposals.services import prepared_photo

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "default.conf.template"
MAX_SIZE = "16m"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def front(live_server, media, tmp_path):
    """The front's own configuration file, filled in as the nginx image fills it in."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        message = "nginx is missing (apt-get install nginx-light)"
        if os.environ.get("QATYSU_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    server = string.Template(TEMPLATE.read_text()).safe_substitute(
        QATYSU_FRONT_LISTEN=f"127.0.0.1:{port}",
        QATYSU_MAX_REQUEST_SIZE=MAX_SIZE,
        QATYSU_MEDIA_ROOT=str(media),
        QATYSU_UPSTREAM=live_server.url.removeprefix("http://"),
    )
    (tmp_path / "front.conf").write_text(server)
    temp = {
        name: tmp_path / name for name in ("body", "proxy", "fcgi", "uwsgi", "scgi")
    }
    # As root, nginx's workers would run as "nobody", who cannot read the test's folders
    as_user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{as_user}daemon off;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n"
        f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n  include {tmp_path}/front.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None:
            pytest.fail(
                f"nginx refused the front's configuration: {process.stderr.read()}"
            )
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, data: bytes | None = None):
    request = urllib.request.Request(url, data=data)  # noqa: S310 - 127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read()


def store(media: Path, name: str, content: bytes) -> str:
    path = media / "proposals" / "7" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"/media/proposals/7/{name}"


def test_a_stored_photo_is_served_as_its_format_with_nosniff(front, media):
    # Given a photo as the portal stores it (named by its content, encoded anew)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 104, 125)).save(buffer, "PNG")
    photo = prepared_photo(SimpleUploadedFile("street.html", buffer.getvalue()))
    url = store(media, "20261204.png", photo.read())

    status, headers, body = fetch(front + url)

    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]
    assert body == (media / url.removeprefix("/media/")).read_bytes()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("minutes.pdf", "application/pdf"),
        ("photo.jpg", "image/jpeg"),
        ("photo.webp", "image/webp"),
        ("x.html", "application/octet-stream"),
        ("x.svg", "application/octet-stream"),
        ("x.js", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
    ],
)
def test_every_file_has_the_type_of_its_stored_format_and_no_other(
    front, media, name, content_type
):
    url = store(media, name, b"<script>alert(1)</script>")

    status, headers, _body = fetch(front + url)

    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_nothing_outside_the_media_folder_is_served(front, media):
    (media.parent / "secret.txt").write_text("not for the web")

    for path in ["/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/"]:
        status, _headers, body = fetch(front + path)
        # (what the front passes on reaches the test server, whose own media handler
        # may answer a 500 that gunicorn never would: the file is what matters)
        assert status != 200, path
        assert b"not for the web" not in body


def test_the_pages_go_through_to_the_portal(front, territory):
    status, headers, body = fetch(front + "/kk/")

    assert status == 200
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert '<html lang="kk">' in body.decode()


def test_a_request_over_the_limit_never_reaches_the_portal(front):
    status, _headers, body = fetch(
        front + "/kk/accounts/login/", data=b"x" * (17 * 1024 * 1024)
    )

    assert status == 413
    assert b"nginx" in body or b"Request Entity Too Large" in body
