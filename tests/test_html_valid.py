"""The Nu Html Checker (vnu, from npm vnu-jar) finds no error in any built page.

Checked: the development build, the production build, and a build with the
practice's video set (the only build where the video player's markup appears).
"""

import json
import subprocess

from helpers import ROOT
from theme_support import video_build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_vnu_finds_no_errors(java, site, published, tmp_path_factory):
    assert VNU.is_file(), "vnu is missing: run `make node_modules/.installed`"
    # A broken page of our own, to prove the checker reads what it is given.
    canary = tmp_path_factory.mktemp("vnu-canary") / "broken.html"
    canary.write_text("<!doctype html><html lang=en><title>x</title><p><div></span>")
    folders = [site.output, published.output, video_build(tmp_path_factory, "id"), canary.parent]
    result = subprocess.run([java, "-jar", str(VNU), "--skip-non-html", "--format", "json",
                             *map(str, folders)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]

    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] in ("error", "non-document-error")]
    assert any("broken.html" in e for e in errors), "vnu did not check the files"
    assert [e for e in errors if "broken.html" not in e] == []
    warnings = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages
                if m.get("subType") == "warning"]
    assert warnings == []
