"""Preview the site: rebuild on every save and reload the browser.

    python tools/devserver.py               # serve on http://127.0.0.1:8000
    python tools/devserver.py --no-serve    # only rebuild on change (make regenerate)

A build that fails prints its problems and leaves the last good site in place.
"""

import argparse
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402

ROOT = build.ROOT
WATCHED = ["content", "theme", "plugins", "pelicanconf.py"]


def rebuild():
    build.main(["-s", str(ROOT / "pelicanconf.py"), "-o", str(ROOT / "output")])


def port_in_use(host, port):
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--no-serve", action="store_true")
    args = parser.parse_args(argv)
    if not args.no_serve and port_in_use(args.bind, args.port):
        sys.exit(
            f"Port {args.port} is already in use: is another preview running? Stop it,"
            f" or run `make devserver PORT={args.port + 1}`."
        )
    rebuild()
    if args.no_serve:
        from watchfiles import watch

        for _changes in watch(*(ROOT / p for p in WATCHED)):
            rebuild()
        return
    from livereload import Server

    server = Server()
    for path in WATCHED:
        server.watch(str(ROOT / path), rebuild)
    server.serve(root=str(ROOT / "output"), host=args.bind, port=args.port,
                 default_filename="index.html", open_url_delay=None)


if __name__ == "__main__":
    main()
