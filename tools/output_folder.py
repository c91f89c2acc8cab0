"""The output folder: the staging folder a build builds into, swapped in for the
output folder only when the build went through; the site it replaces kept as the
spare (.OUTPUT-spare), emptied and built into next time. Only folders the build
made are ever emptied or deleted, and never the project's own folders.
"""

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Inside a folder the build made (a staging folder, the spare): only such a folder
# is ever emptied or deleted. The output folder itself carries no mark (it is the
# site): its identity (device, inode) is recorded beside it, in `.NAME-made`.
MARK = ".made-by-tools-build"


def refused_output(output, settings, settings_file, name="OUTPUTDIR"):
    """Why output may not be the output folder (it would replace or delete the
    project's own files), or None. The same for the cache folder (name: the option)."""
    project = settings_file.resolve().parent
    kept = {project: "the project folder", ROOT: "the project folder"}
    plugins = [(folder, "a plugins folder") for folder in settings.get("PLUGIN_PATHS") or []]
    for path, what in [(settings.get("PATH"), "the content folder"),
                       (settings.get("THEME"), "the theme folder"),
                       (ROOT / "tools", "the tools folder"), *plugins]:
        if path:
            kept.setdefault(project.joinpath(path).resolve(), what)
    if output == Path(output.anchor) or output == Path.home().resolve():
        return f"{name}={output} is {'/' if output == Path(output.anchor) else 'the home folder'}"
    for path, what in kept.items():
        if output == path or path.is_relative_to(output):
            return f"{name}={output} is or holds {what} ({path})"
        if output.is_relative_to(path) and what != "the project folder":
            return f"{name}={output} is inside {what} ({path})"
    return None


def identity(path):
    try:
        info = path.stat(follow_symlinks=False)
    except OSError:
        return None
    return f"{info.st_dev}:{info.st_ino}"


def made_record(output):
    return output.with_name(f".{output.name}-made")


def made_by_build(folder):
    return folder.is_dir() and not folder.is_symlink() and (folder / MARK).is_file()


def foreign_spare(output):
    """The spare folder, when one is there that the build did not make."""
    spare = spare_folder(output)
    if (spare.exists() or spare.is_symlink()) and not made_by_build(spare):
        return spare
    return None


def remove_killed_builds(output):
    """The staging folders a killed build left beside output go."""
    for leftover in output.parent.glob(f".{output.name}-new-*"):
        if made_by_build(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def spare_folder(output):
    return output.with_name(f".{output.name}-spare")


def staging_folder(output):
    """An empty folder beside output to build into. The site replaced by the last
    build (the spare) is emptied of its files and used: its folders are already
    there, and making a thousand folders again costs about half a second."""
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    (staging / MARK).touch()
    spare = spare_folder(output)
    if not made_by_build(spare):
        return staging
    try:
        shutil.rmtree(staging)
        spare.rename(staging)
        for folder, folders, files in os.walk(staging):
            links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
            for name in files + links:
                os.unlink(os.path.join(folder, name))
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(exist_ok=True)
    (staging / MARK).touch()
    return staging


# In a site built without PRODUCTION (make html, the preview): a file that says so, seen
# by anyone who opens the folder to upload it by hand; make rsync_upload and make github
# refuse a folder that has it. (Its relative links and drafts are not for the web.)
PREVIEW_MARK = "PREVIEW-BUILD-do-not-upload.txt"


def mark_preview(site, settings_file):
    (site / PREVIEW_MARK).write_text(
        f"This folder was built with {Path(settings_file).name} (make html, or the preview:"
        " make devserver). It is a preview: its links work only on this computer, and it"
        " shows drafts. Do not upload it.\nTo upload by hand (for example Netlify's drag and"
        " drop), run `make publish` and upload the folder it builds.\n", encoding="utf-8")


def remove_empty_folders(site):
    """Folders left empty in a reused spare (a page removed since) go."""
    for folder, _folders, files in os.walk(site, topdown=False):
        if not files and Path(folder) != site:
            try:
                os.rmdir(folder)
            except OSError:
                pass  # not empty: a folder in it stays


def swap_in(staging, output):
    """Replace output with staging; the old site stays until the new one is in, and
    is then kept as the spare, for the next build to build into. A spare the build
    did not make was refused before the build started (foreign_spare)."""
    staging.chmod(0o755)
    spare, record = spare_folder(output), made_record(output)
    if made_by_build(spare):
        shutil.rmtree(spare, ignore_errors=True)
    if output.exists() or output.is_symlink():
        ours = record.is_file() and record.read_text() == identity(output)
        output.rename(spare)  # kept whole; marked (to be emptied next time) if the build made it
        if ours:
            (spare / MARK).touch()
    staging.rename(output)
    record.write_text(identity(output))

