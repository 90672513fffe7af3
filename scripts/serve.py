#!/usr/bin/env python3
"""Serve the built site for a quick look: `python scripts/serve.py [--check] HOST PORT SITE`.

Used by `make serve`. Unlike `python -m http.server`, an address that does not exist gets the
site's own Chinese page (site/404.html). `--check` only tells whether the port is free, so the
Makefile can say so in one line before it spends time building.
Exit codes: 0 served (or the port is free); 2 the port is busy or the site folder is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

NOT_FOUND_PAGE = "404.html"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of one site; a missing address gets the site's 404 page."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def port_problem(host: str, port: int) -> str | None:
    """Why the site cannot be served at host:port (in Chinese), or None if it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"地址 {host} 无法解析：请检查 HOST"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As http.server binds: SO_REUSEADDR, so a port in TIME_WAIT still counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except PermissionError:
            return f"没有权限使用端口 {port}：请换一个 1024 以上的端口，如 PORT=8080"
        except OSError:
            return (
                f"端口 {port}（{host}）已被占用：请先停止占用它的程序，"
                f"或换一个端口，如 make serve PORT={port + 1}"
            )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="serve.py", description="在本机提供已构建的站点")
    parser.add_argument("--check", action="store_true", help="只检查端口是否可用")
    parser.add_argument("host", help="监听地址，如 127.0.0.1；同事访问用 0.0.0.0")
    parser.add_argument("port", type=int, help="端口，如 8000")
    parser.add_argument("site", nargs="?", default="site", help="站点目录 (default: site)")
    args = parser.parse_args(argv)
    problem = port_problem(args.host, args.port)
    if problem:
        print(f"错误：{problem}", file=sys.stderr)
        return 2
    if args.check:
        return 0
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"错误：{site}：没有已构建的站点，请先运行 make build", file=sys.stderr)
        return 2
    handler = functools.partial(SiteHandler, directory=str(site))
    family = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)[0][0]
    server_class = type("Server", (http.server.ThreadingHTTPServer,), {"address_family": family})
    with server_class((args.host, args.port), handler) as server:
        shown = "本机所有地址" if args.host in ("0.0.0.0", "::") else args.host
        print(
            f"年报库：http://{args.host}:{args.port}/（监听 {shown}，按 Ctrl+C 停止）", flush=True
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
