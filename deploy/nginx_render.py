"""Render deploy/nginx/oefenplein.conf.template into a working nginx site, from the environment file.

    python deploy/nginx_render.py --env-file /etc/oefenplein/env --out-dir /etc/nginx/oefenplein
    ln -s /etc/nginx/oefenplein/oefenplein.conf /etc/nginx/sites-enabled/oefenplein.conf

Host names and the port come from SITE_ORIGIN and H5P_PLAYER_ORIGIN; the upload limit from the project's
settings (learn/settings.py), so nginx never refuses what the application accepts. Other values, with their
defaults, are the NGINX_* variables below. `make deploy-check` (deploy/check.py) renders with this same code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "nginx" / "oefenplein.conf.template"
PROXY_PARAMS = DEPLOY / "nginx" / "proxy.conf"
MULTIPART_MARGIN = 1024 * 1024  # the multipart envelope and the other form fields around an upload


def env_file_read(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile reads them (comments and blank lines skipped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"')
    return values


def upload_limit(env: dict[str, str]) -> int:
    """The largest request body the project accepts, read from its settings with this environment."""
    saved = dict(os.environ)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    try:
        settings = importlib.import_module("learn.settings")
        settings = importlib.reload(settings)
        largest = max(settings.H5P_MAX_UPLOAD_BYTES, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
                      settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)  # fmt: skip
    finally:
        os.environ.clear()
        os.environ.update(saved)
        sys.path.remove(str(ROOT))
    return largest + MULTIPART_MARGIN


def _origin(value: str) -> tuple[str, int]:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise SystemExit(f"{value!r}: nginx serves https://host[:port] origins only")
    return parts.hostname, parts.port or 443


def values(env: dict[str, str]) -> dict[str, str]:
    site_host, port = _origin(env["SITE_ORIGIN"])
    player_host, player_port = _origin(env["H5P_PLAYER_ORIGIN"])
    if player_port != port or player_host == site_host:
        raise SystemExit("H5P_PLAYER_ORIGIN needs its own host name on the site's port")
    http_port = int(env.get("NGINX_HTTP_PORT", "80"))
    addresses = [item.strip() for item in env.get("NGINX_LISTEN", "0.0.0.0,[::]").split(",") if item.strip()]
    upstreams = [item.strip() for item in env.get("NGINX_UPSTREAMS", "127.0.0.1:8000").split(",") if item.strip()]
    certs = env.get("NGINX_CERT_DIR", "/etc/ssl/oefenplein")
    return {
        "SITE_HOST": site_host,
        "PLAYER_HOST": player_host,
        "HTTPS_PORT_SUFFIX": "" if port == 443 else f":{port}",
        "LISTEN_HTTP": "\n".join(f"    listen {address}:{http_port};" for address in addresses),
        "LISTEN_HTTPS": "\n".join(f"    listen {address}:{port} ssl http2;" for address in addresses),
        "SITE_CERT": f"{certs}/{site_host}.crt",
        "SITE_KEY": f"{certs}/{site_host}.key",
        "PLAYER_CERT": f"{certs}/{player_host}.crt",
        "PLAYER_KEY": f"{certs}/{player_host}.key",
        "STATIC_ROOT": env["STATIC_ROOT"].rstrip("/"),
        "MEDIA_ROOT": env["MEDIA_ROOT"].rstrip("/"),
        "UPSTREAM_SERVERS": "\n".join(f"    server {item} max_fails=1 fail_timeout=10s;" for item in upstreams),
        "CLIENT_MAX_BODY": f"{-(-upload_limit(env) // (1024 * 1024))}m",
    }


def render(env: dict[str, str], out_dir: Path) -> Path:
    """Write oefenplein.conf and oefenplein-proxy.conf into out_dir; return the site file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    proxy = out_dir / "oefenplein-proxy.conf"
    shutil.copyfile(PROXY_PARAMS, proxy)
    filled = {**values(env), "PROXY_PARAMS": str(proxy)}
    text = re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: filled[match.group(1)], TEMPLATE.read_text(encoding="utf-8"))
    site = out_dir / "oefenplein.conf"
    site.write_text(text, encoding="utf-8")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-file", type=Path, default=Path("/etc/oefenplein/env"))
    parser.add_argument("--out-dir", type=Path, default=Path("/etc/nginx/oefenplein"))
    args = parser.parse_args()
    print(render(env_file_read(args.env_file), args.out_dir))


if __name__ == "__main__":
    main()
