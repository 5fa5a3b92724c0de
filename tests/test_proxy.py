"""Behind a real TLS-terminating reverse proxy: Debian's nginx (``make proxy``) on loopback, in front
of the real ``mamori serve`` with ``MAMORI_BEHIND_TLS_PROXY=true``.

The browser side connects from 127.0.0.2 (another loopback address), so the address nginx reports
in ``X-Forwarded-For`` differs from the proxy's own (127.0.0.1) and the rate-limit key can be told
apart. Skipped only when nginx is missing outside CI; in CI (``CI`` set) a missing nginx fails.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.serving import Served, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
if NGINX is None and not os.environ.get("CI"):
    pytest.skip("nginx is not installed (make proxy)", allow_module_level=True)

CLIENT = "127.0.0.2"
EMAIL = "owner@example.jp"
PASSWORD = "a-long-proxy-password-42"

NGINX_CONF = """
worker_processes 1;
{user}
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        client_max_body_size 60m;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    assert NGINX, "nginx is required in CI: make proxy"
    work = tmp_path_factory.mktemp("proxy")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem"),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    served = Served(
        work / "data",
        env={
            "MAMORI_BEHIND_TLS_PROXY": "true",
            "MAMORI_BASE_URL": base,
            "MAMORI_ADMIN_PASSWORD": PASSWORD,
            "MAMORI_WORKER_HEARTBEAT_SECONDS": "1",
        },
    )
    served.run("init", "--org", "株式会社プロキシ", "--email", EMAIL)
    served.start()
    (work / "nginx.conf").write_text(
        NGINX_CONF.format(
            dir=work, port=port, upstream=served.port, user="user root;" if os.getuid() == 0 else ""
        )
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    browser = Browser(port, work / "cert.pem")
    deadline = time.monotonic() + 20
    while True:
        try:
            browser.request("GET", "/login/")
            break
        except OSError:
            assert nginx.poll() is None, nginx.stderr.read().decode() if nginx.stderr else ""
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.2)
    yield served, browser, base
    nginx.terminate()
    nginx.wait(timeout=20)
    served.stop()


class Browser:
    """HTTPS through nginx, from 127.0.0.2, keeping cookies (Secure ones too: this is https)."""

    def __init__(self, port: int, cafile: Path):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, source_address=(CLIENT, 0), timeout=60
        )
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        sent = {**(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"https://127.0.0.1:{self.port}"
            sent["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, text

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:500]
        return html.unescape(match.group(1))


def test_hsts_is_sent_through_the_proxy(proxied):
    _served, browser, _base = proxied
    response, _ = browser.request("GET", "/login/")
    assert response.status == 200
    assert "max-age=" in (response.headers.get("Strict-Transport-Security") or "")
    assert "secure" in (response.headers.get("Set-Cookie") or "").lower()  # the CSRF cookie


def test_the_forwarded_scheme_is_ignored_when_not_from_the_proxy(proxied):
    """Straight to the app port (bypassing nginx) from 127.0.0.2: not a trusted proxy, so the same
    header does not make the request https."""
    served, _browser, _base = proxied
    connection = http.client.HTTPConnection("127.0.0.1", served.port, source_address=(CLIENT, 0))
    connection.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    assert response.headers.get("Strict-Transport-Security") is None


def test_a_sign_in_form_posted_through_the_proxy_works_and_is_limited_per_client(proxied):
    served, browser, _base = proxied
    _, page = browser.request("GET", "/login/")
    response, text = browser.request(
        "POST",
        "/login/",
        form={"csrfmiddlewaretoken": browser.csrf(page), "email": EMAIL, "password": PASSWORD},
        # a client-supplied entry: nginx appends the real address after it, only that one counts
        headers={"X-Forwarded-For": "203.0.113.77"},
    )
    assert response.status == 302, text[:1000]  # 403 when the CSRF origin check fails
    assert "sessionid" in browser.cookies
    dashboard, _ = browser.request("GET", response.headers["Location"])
    assert dashboard.status == 200

    with sqlite3.connect(served.data_dir / "mamori.sqlite3") as db:
        keys = {row[0] for row in db.execute("SELECT key FROM accounts_tokenbucket")}

    def key(ip):
        return hashlib.sha256(f"login-ip:{ip}".encode()).hexdigest()

    assert key(CLIENT) in keys  # the address nginx saw
    assert key("127.0.0.1") not in keys  # not the proxy's own
    assert key("203.0.113.77") not in keys  # not what the client claimed


def test_a_password_reset_link_is_https(proxied):
    served, browser, base = proxied
    browser.cookies.clear()
    _, page = browser.request("GET", "/password-reset/")
    response, text = browser.request(
        "POST", "/password-reset/", form={"csrfmiddlewaretoken": browser.csrf(page), "email": EMAIL}
    )
    assert response.status == 302, text[:1000]
    outbox = served.data_dir / "outbox"
    served.wait_for(lambda: any(outbox.glob("*.eml")), timeout=60, what="the reset mail")
    mail = next(outbox.glob("*.eml")).read_text()
    links = re.findall(r"https?://\S+", mail)
    assert links and all(link.startswith(base + "/") for link in links), mail
