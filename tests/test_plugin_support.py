"""The two modules the plugins share: plugins/site_cache (what a plugin may keep
between builds, and how) and plugins/plugin_settings (one checked dict per plugin)."""

import logging

import plugin_settings  # in plugins/, on sys.path: conftest
import site_cache


def keyed(tmp_path, **more):
    return {"CACHE_PATH": str(tmp_path), "CACHE_KEY": "k", "LOAD_CONTENT_CACHE": True,
            "CACHE_CONTENT": True, **more}


def test_a_kept_file_round_trips_in_a_keyed_folder(tmp_path):
    settings = keyed(tmp_path)
    site_cache.save_json(settings, "x.json", {"b": [1, 2], "a": "é"})
    assert site_cache.load_json(settings, "x.json") == {"b": [1, 2], "a": "é"}
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["x.json"]  # no temporary file
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]  # all in kept/, which the build signs


def test_nothing_is_read_or_written_without_the_build_s_key(tmp_path):
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "x.json").write_text('{"stale": true}')
    plain = keyed(tmp_path, CACHE_KEY=None)  # plain `pelican`: the folder is not checked
    assert site_cache.load_json(plain, "x.json") is None
    site_cache.save_json(plain, "y.json", 1)
    assert not (tmp_path / "kept" / "y.json").exists()


def test_pelican_s_own_switches_are_obeyed(tmp_path):
    site_cache.save_json(keyed(tmp_path, CACHE_CONTENT=False), "x.json", 1)
    assert not (tmp_path / "kept" / "x.json").exists()
    site_cache.save_json(keyed(tmp_path), "x.json", 1)
    assert site_cache.load_json(keyed(tmp_path, LOAD_CONTENT_CACHE=False), "x.json") is None


def test_an_unreadable_file_is_none(tmp_path):
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "x.json").write_bytes(b"\xff{not json")
    assert site_cache.load_json(keyed(tmp_path), "x.json") is None
    assert site_cache.load_bytes(keyed(tmp_path), "missing") is None


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")

    def broken(self, data):
        raise OSError("disk full")

    monkeypatch.setattr(type(target), "write_bytes", broken)
    try:
        site_cache.write_atomically(target, b"new")
    except OSError:
        pass
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_digest_keeps_its_parts_apart():
    assert site_cache.digest("ab", "c") != site_cache.digest("a", "bc")
    assert site_cache.digest(b"a", 1) == site_cache.digest("a", "1")


def test_settings_dict_gives_the_defaults_updated(caplog):
    defaults = {"file": "", "later": False, "size": 1.0}
    assert plugin_settings.read({}, "THING", defaults) == defaults
    given = {"THING": {"file": "x.toml", "size": 2}}
    assert plugin_settings.read(given, "THING", defaults) == {"file": "x.toml", "later": False,
                                                              "size": 2}
    assert defaults == {"file": "", "later": False, "size": 1.0}  # not changed
    assert not caplog.records


def test_settings_dict_errors_name_the_setting_and_the_key(caplog):
    caplog.set_level(logging.ERROR)
    defaults = {"file": "", "later": False}
    options = plugin_settings.read({"THING": {"fiel": "x", "later": 1}}, "THING", defaults)
    assert options == defaults
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "pelicanconf.py: THING has no key 'fiel'; its keys are 'file', 'later'."
        " Did you mean 'file'?",
        "pelicanconf.py: THING['later'] must be yes or no (True or False) (it is 1).",
    ]


def test_a_setting_that_is_not_a_dict_is_an_error(caplog):
    caplog.set_level(logging.ERROR)
    assert plugin_settings.read({"THING": "x.toml"}, "THING", {"file": ""}) == {"file": ""}
    assert caplog.records[0].getMessage() == (
        "pelicanconf.py: THING must be a dict {...} of 'file' (it is 'x.toml').")


def test_a_plugin_s_own_rule_for_a_key_is_checked(caplog):
    import content_checks.core

    caplog.set_level(logging.ERROR)
    for bad in ((50,), (160, 50), ("50", "160"), (50, 160, 3)):
        caplog.clear()
        options = content_checks.core.read_options({"CONTENT_CHECKS": {"summary_length": bad}})
        assert options["summary_length"] == content_checks.core.DEFAULTS["summary_length"]
        assert [r.getMessage() for r in caplog.records] == [
            f"pelicanconf.py: CONTENT_CHECKS['summary_length'] must be a pair of whole numbers,"
            f" shortest and longest, e.g. (50, 160) (it is {bad!r})."], bad
    caplog.clear()
    good = content_checks.core.read_options({"CONTENT_CHECKS": {"summary_length": [40, 120]}})
    assert good["summary_length"] == [40, 120] and not caplog.records
