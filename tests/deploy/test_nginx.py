"""nginx in front of two replicas, started by scripts/replicas.sh and checked with curl: security
headers (frame protection on /admin always, embeds frameable, nosniff, Referrer-Policy, no server
version), 413 above the upload limit, 429 under a burst on /admin and above the connections per
client, Streamlit's metrics refused, and an access log. Skipped (failing in CI) without nginx."""

from __future__ import annotations

import re
import tomllib

import pytest

from atlas import ROOT
from atlas.admin import validate
from tests.deploy.conftest import deployment, need

CONN_PER_CLIENT = 8


@pytest.fixture(scope="module")
def site(tmp_path_factory, built_db):
    need("nginx", "apt-get install nginx")
    need("curl", "apt-get install curl")
    d = deployment(tmp_path_factory.mktemp("nginx"), built_db, ATLAS_NGINX_CONN_PER_CLIENT=str(CONN_PER_CLIENT),
                   ATLAS_EMBED_ANCESTORS="https://www.example.se https://*.example.org")
    res = d.script("start", "2", str(d.port))
    assert res.returncode == 0, res.stderr[-2000:]
    yield d
    d.script("stop")


def _headers(site, path: str, status: str = "200") -> dict[str, str]:
    res = site.curl("-o", "/dev/null", "-D", "-", site.url + path)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[1] == status, lines[0]
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if ":" in line)}


def _status(site, *args: str) -> int:
    res = site.curl("-o", "/dev/null", "-w", "%{http_code}", *args)
    return int(res.stdout or 0)


def test_security_headers_on_every_page(site):
    h = _headers(site, "/kommunprofil?kommun=2085")
    assert h["content-security-policy"] == "frame-ancestors 'self'"
    assert h["x-frame-options"] == "SAMEORIGIN"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert h["server"] == "nginx"  # server_tokens off: no version
    assert "atlas_route=" in h["set-cookie"]


@pytest.mark.parametrize("path", ["/admin", "/admin?embed=true", "/admin/", "/admin?x=1&embed=true"])
def test_admin_is_never_frameable(site, path):
    h = _headers(site, path, "301" if path.endswith("/") else "200")  # Streamlit redirects /admin/
    assert h["content-security-policy"] == "frame-ancestors 'none'"
    assert h["x-frame-options"] == "DENY"


def test_embedded_figures_are_frameable_by_the_listed_sites(site):
    h = _headers(site, "/trender?ind=arbetsloshet&embed=true")
    assert h["content-security-policy"] == "frame-ancestors https://www.example.se https://*.example.org"
    assert "x-frame-options" not in h  # it cannot name several sites: frame-ancestors alone decides
    assert h["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/karta/_stcore/metrics"])
def test_streamlit_metrics_are_refused(site, path):
    assert _status(site, site.url + path) == 403


def test_upload_limit_matches_the_upload_rule(site, tmp_path):
    """nginx refuses a body above 2 MB + the multipart envelope with 413 before any replica sees
    it; a body within the limit reaches Streamlit (which refuses the made-up session with 400/403,
    not 413). Streamlit's own limit is the same 2 MB."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == validate.MAX_BYTES
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    limit_k = int(re.search(r"client_max_body_size (\d+)k;", template).group(1))
    assert 0 < limit_k * 1024 - validate.MAX_BYTES <= 256 * 1024  # the envelope, no more
    big, small = tmp_path / "big.csv", tmp_path / "small.csv"
    big.write_bytes(b"a" * (validate.MAX_BYTES + 512 * 1024))
    small.write_bytes(b"a" * (validate.MAX_BYTES // 2))
    url = site.url + "/_stcore/upload_file/no-such-session/no-such-file"
    assert _status(site, "-X", "PUT", "-F", f"file=@{big}", url) == 413
    assert _status(site, "-X", "PUT", "-F", f"file=@{small}", url) in (400, 403)
    log = (site.run / "access.log").read_text()
    assert re.search(r'"PUT /_stcore/upload_file/no-such-session/no-such-file" 413 \d+ [\d.]+ -$', log, re.M)


def test_burst_on_admin_is_throttled_but_pages_are_not(site):
    codes = [_status(site, site.url + "/admin") for _ in range(25)]
    assert codes[:5] == [200] * 5 and 429 in codes, codes
    assert [_status(site, site.url + "/karta") for _ in range(25)] == [200] * 25
    log = (site.run / "access.log").read_text()
    assert log.count('"GET /admin" 429') == codes.count(429)  # every refused attempt is in the trail


def test_connections_per_client_are_limited(site):
    """More open websockets from one address than ATLAS_NGINX_CONN_PER_CLIENT: the extra ones are
    refused with 429, the others stay open."""
    from contextlib import ExitStack

    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    opened, refused = 0, []
    with ExitStack() as held:
        for _ in range(CONN_PER_CLIENT + 3):
            try:
                held.enter_context(connect(site.url.replace("http", "ws") + "/_stcore/stream",
                                           subprotocols=["streamlit"], open_timeout=10))
                opened += 1
            except InvalidStatus as exc:
                refused.append(exc.response.status_code)
    assert opened == CONN_PER_CLIENT and refused == [429] * 3
