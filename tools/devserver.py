"""Preview the site: rebuild on every save, serve it, and reload the browser.

    python tools/devserver.py [Pelican options]             # the same as tools/build.py -lr
    python tools/devserver.py --no-serve [Pelican options]  # only rebuild (tools/build.py -r)

`make devserver`, `make regenerate` and `make serve` run tools/build.py with
-lr, -r and -l, which hands over to this program (main() here), with every other
option (content folder, -o, -s, -e, --relative-urls, ...) passed on to each build.

One worker process (tools/preview.py) builds the whole site, then stays alive: a
save that changes only a page's text is rendered again alone, with the pages
that show that text (about 0.1 s, however large the site). Any other change (a
template, a setting, a plugin, a picture, a new file, a page's fields) starts a
new worker, which builds the whole site again, with the settings, plugins and
templates read afresh. A build or a save with a problem prints the problems and
leaves the last good site in place.

The search index is kept out of the way of the edit: the worker keeps the last
index as it is (tools/build.py --search-later); once the new pages are in, the
index is brought up to date in a process of its own (--search-index) that a
newer save stops. Until it has finished, a search may find a page as it was
before the save. "Waiting for changes." is printed when both are done. Changes
are seen as they happen (watchfiles), not by polling.
"""

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import build  # tools/ is on sys.path: Python puts a script's own folder there
from build_locks import previewing
from build_settings import load_settings

ROOT = build.ROOT


IDLE = "Waiting for changes."


class Rebuilder:
    """Keep the output up to date, one save at a time: the pages first, then the
    search index.

    The pages: a worker process (preview.py) builds the whole site once, then
    renders again only what each saved page changes. A change it cannot follow
    that way (a template, a setting, a new file, a page's fields) starts a new
    worker, which builds the whole site again."""

    def __init__(self, build_argv):
        self.command = [sys.executable, str(build.TOOLS / "build.py"), *build_argv]
        self.worker_command = [sys.executable, str(build.TOOLS / "preview.py"), *build_argv]
        self.worker = None
        self.replies = None
        self.indexer = None
        self.lock = threading.Lock()

    def stop_indexer(self):
        indexer, self.indexer = self.indexer, None
        if indexer is not None and indexer.poll() is None:
            indexer.send_signal(signal.SIGTERM)
            indexer.wait()

    def start_worker(self):
        """A new worker, after its whole build: 'ok' or 'failed'."""
        self.stop_worker()
        read, write = os.pipe()
        self.worker = subprocess.Popen([*self.worker_command, "--preview-worker", str(write)],
                                       stdin=subprocess.PIPE, pass_fds=(write,), text=True)
        os.close(write)
        self.replies = os.fdopen(read)
        return self.reply()

    def reply(self):
        return self.replies.readline().strip() or "restart"  # nothing: the worker ended

    def stop_worker(self):
        worker, self.worker = self.worker, None
        if worker is None:
            return
        if worker.poll() is None:
            worker.stdin.close()  # the worker ends when its requests end
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.replies.close()

    def __call__(self, changes=None):
        """Bring the output up to date after these changes (watchfiles' pairs);
        None: build the whole site."""
        with self.lock:
            self.stop_indexer()  # it would index pages about to be replaced
            answer = "restart"
            if changes and self.worker is not None and self.worker.poll() is None:
                paths = sorted(path for _change, path in changes)  # the worker decides
                self.worker.stdin.write(json.dumps(paths) + "\n")
                self.worker.stdin.flush()
                answer = self.reply()
            if answer == "restart":
                answer = self.start_worker()
            if answer != "ok":
                print(IDLE, flush=True)
                return
            indexer = subprocess.Popen([*self.command, "--search-later", "--search-index"])
            self.indexer = indexer
        threading.Thread(target=self.report, args=(indexer,), daemon=True).start()

    def stop(self):
        with self.lock:
            self.stop_indexer()
            self.stop_worker()

    def report(self, indexer):
        if indexer.wait() == 0:
            print(f"Search index up to date. {IDLE}", flush=True)
        elif indexer.returncode not in (143, -signal.SIGTERM):  # not stopped by a newer save
            print(f"The search index was not updated (it will be after the next save). {IDLE}",
                  flush=True)


def port_in_use(host, port):
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


def what_to_watch(args):
    """(output folder, folders and files to watch, address, port) for these options."""
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers[:] = [logging.NullHandler()]  # the builds report any problem with them
    try:
        settings = load_settings(args)
    except Exception:
        settings = None
    finally:
        root.handlers[:] = saved
    settings_file = Path(args.settings).resolve()
    if settings is None:
        output = Path(args.output or ROOT / "output").resolve()
        watched = [Path(args.path or ROOT / "content"), ROOT / "theme", ROOT / "plugins"]
        address, port = args.bind or "127.0.0.1", args.port or 8000
    else:
        output = Path(settings["OUTPUT_PATH"]).resolve()
        watched = [Path(settings["PATH"]), Path(settings["THEME"])]
        watched += [Path(p) for p in settings.get("PLUGIN_PATHS", [])]
        address, port = settings["BIND"], settings["PORT"]
    # The settings file, and pelicanconf.py beside it (publishconf.py reads it).
    watched += [settings_file, settings_file.with_name("pelicanconf.py")]
    watched = sorted({p.resolve() for p in watched if p.exists()})
    return output, watched, address, port


def run(args, build_argv):
    """-l serves the output folder, -r rebuilds on change, -lr does both."""
    output, watched, address, port = what_to_watch(args)
    if args.listen and port_in_use(address, port):
        target = "devserver" if args.autoreload else "serve"
        print(f"Port {port} is already in use: is another preview running? Stop it, or run"
              f" `make {target} PORT={port + 1}`.", file=sys.stderr)
        return 1
    # While the preview runs, make publish refuses to build into output/.
    with previewing(output) if args.autoreload else contextlib.nullcontext():
        return rebuild_and_serve(args, build_argv, output, watched, address, port)


def rebuild_and_serve(args, build_argv, output, watched, address, port):
    rebuilder = Rebuilder(build_argv)
    if args.autoreload:
        rebuilder()
    if not args.listen:
        from watchfiles import watch

        print(f"Watching {', '.join(shown(p) for p in watched)}; Ctrl-C stops.", flush=True)
        try:
            for changes in watch(*watched):
                rebuilder(changes)
        finally:
            rebuilder.stop()
        return 0
    if not args.autoreload:
        return serve(output, address, port)
    from livereload import Server

    server = Server(watcher=watcher(watched, rebuilder))
    try:
        server.serve(root=str(output), host=address, port=port,
                     default_filename="index.html", open_url_delay=None)
    except OSError:
        return cannot_serve(address, port)
    finally:
        rebuilder.stop()
    return 0


def watcher(watched, rebuilder):
    """A livereload watcher that learns of changes from watchfiles (inotify) as they
    happen, rebuilds, and then reloads the browsers. livereload's own polls every
    0.8 s, walking every watched file, and with several folders could miss a save
    for a minute or more."""
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class Watching(Watcher):
        def start(self, callback):
            loop = IOLoop.current()

            def changed(changes):
                rebuilder(changes)
                LiveReloadHandler.reload_waiters("*")  # the whole page: stylesheet names change

            def watch():
                from watchfiles import watch as watch_files

                for changes in watch_files(*watched):
                    loop.add_callback(changed, changes)

            threading.Thread(target=watch, daemon=True).start()
            return True  # no polling

        def examine(self):
            return None, None

    found = Watching()
    for path in watched:
        found.watch(str(path))
    return found


class FirstLine(logging.Formatter):
    def format(self, record):
        return super().format(record).splitlines()[0].rstrip(":")


def not_found_page(handler_class):
    """Pelican's request handler, answering a missing page with 404.html and a 404
    (Pelican's own closes the connection without an answer)."""

    class Handler(handler_class):
        def do_GET(self):
            found = self.get_path_that_exists(self.path.split("?", 1)[0])
            if found is not None:
                self.path = found
                return super(handler_class, self).do_GET()
            page = Path(self.base_path) / "404.html"
            if not page.is_file():
                return self.send_error(404)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(output, address, port):
    """Serve the output folder as `pelican -l` does, one line per request."""
    if not output.is_dir():
        print(f"There is no site to serve yet: {output}/ does not exist. Run `make html`"
              " first.", file=sys.stderr)
        return 1
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(FirstLine("%(message)s"))
    logging.getLogger().handlers[:] = [handler]
    logging.getLogger("pelican.server").setLevel(logging.INFO)
    RootedHTTPServer.allow_reuse_address = True
    try:
        httpd = RootedHTTPServer(str(output), (address, port),
                                 not_found_page(ComplexHTTPRequestHandler))
    except OSError:
        return cannot_serve(address, port)
    print(f"Serving {output}/ at http://{address}:{port}/; Ctrl-C stops.", flush=True)
    with httpd:
        httpd.serve_forever()
    return 0


def cannot_serve(address, port):
    print(f"Could not serve on {address}:{port}: the address is not available here, or the"
          " port needs other rights. Try another PORT.", file=sys.stderr)
    return 1


def shown(path):
    return path.relative_to(ROOT).as_posix() if ROOT in path.parents else str(path)


def main(argv=None):
    """tools/build.py with -l, -r or both hands over here with its options; run
    directly without them, this is -lr (with --no-serve, -r)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    serve = "--no-serve" not in argv
    argv = [a for a in argv if a != "--no-serve"]
    args, _once = build.parse(argv)
    if not (args.listen or args.autoreload):
        argv = ["-r", *(["-l"] if serve else []), *argv]
        args, _once = build.parse(argv)
    try:
        return run(args, argv + ["--once"])  # --once: each build is one build
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
