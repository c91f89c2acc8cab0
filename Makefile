# The site's commands. `make html` builds, `make test` checks, `make help` lists all.
# Targets and switches follow pelican-quickstart's Makefile.

PY?=python3
VENV?=.venv
PYTHON=$(VENV)/bin/python
PELICANOPTS=

BASEDIR=$(CURDIR)
INPUTDIR=$(BASEDIR)/content
OUTPUTDIR=$(BASEDIR)/output
CONFFILE=$(BASEDIR)/pelicanconf.py
PUBLISHCONF=$(BASEDIR)/publishconf.py

SSH_HOST?=
SSH_PORT?=22
SSH_USER?=
SSH_TARGET_DIR?=
KEEP_RELEASES?=3
GITHUB_PAGES_BRANCH?=gh-pages
GITHUB_REMOTE?=origin
GITHUB_CNAME?=
DRY_RUN?=
DRY=$(filter-out 0,$(DRY_RUN))
# The deploy settings reach the shell: deploy/check.py reads them from the
# environment (never from a command's text) and refuses any but plain names
# and numbers, before any command uses them.
export SSH_HOST SSH_PORT SSH_USER SSH_TARGET_DIR KEEP_RELEASES
export GITHUB_PAGES_BRANCH GITHUB_REMOTE GITHUB_CNAME
CHECK_DEPLOY=$(PY) "$(BASEDIR)/deploy/check.py"
# Runs rsync, ssh, ghp-import; a failure is one plain line (server not found, login
# refused, disk full...) with what to check.
SEND=$(PY) "$(BASEDIR)/deploy/send.py"
# make html and the preview leave a file saying so in the folder (tools/build.py): never sent.
PREVIEW_MARK=PREVIEW-BUILD-do-not-upload.txt
REFUSE_PREVIEW=refuse() { if [ -e "$(OUTPUTDIR)/$(PREVIEW_MARK)" ]; then echo "make $$1: $(OUTPUTDIR)/ is a preview build (make html or the preview), not the live site; nothing was sent. Stop the preview (Ctrl+C) and run make $$1 again." >&2; exit 2; fi; }; refuse

# `override` so that these add to a PELICANOPTS given on the command line.
DEBUG ?= 0
ifeq ($(DEBUG), 1)
	override PELICANOPTS += -D
endif

# V=1: list every page the build has a notice for (awaiting review, needing translation);
# without it a long list is counted, and written to .output-notes.txt beside output/.
V ?= 0
ifeq ($(V), 1)
	override PELICANOPTS += --every-notice
endif

RELATIVE ?= 0
ifeq ($(RELATIVE), 1)
	override PELICANOPTS += --relative-urls
endif

PORT ?= 8000
BIND ?= 127.0.0.1
SERVER ?= 0.0.0.0

SETUP=$(VENV)/.installed
TEST_SETUP=$(VENV)/.installed-test
# tools/build.py takes Pelican's options: it is `pelican`, building safely (see its --help).
PELICAN=$(PYTHON) "$(BASEDIR)/tools/build.py"
BUILD=$(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR)"

help:
	@echo 'Commands for the kyphoplasty site'
	@echo ''
	@echo 'Editing (README.md):'
	@echo '   make devserver         preview at http://localhost:$(PORT), rebuilding on save'
	@echo '   make html              build the site into output/ (sets itself up first)'
	@echo '   make newarticle        start a new article from the template (asks for the title and topic)'
	@echo '                            TITLE="..." CATEGORY="Treatment": answer on the command line'
	@echo '                            TRANSLATE=content/articles/x.md [TO=es]: start its Spanish version'
	@echo '   make newfaq            start a new question from the template (asks for the question;'
	@echo '                            or TITLE="...")'
	@echo '   make translated FILE=content/articles/es/x.md'
	@echo '                          mark a translation up to date with its English text'
	@echo '   make publish           build the live site (publishconf.py) into output/'
	@echo '   make rsync_upload      publish, then copy to the web server over SSH'
	@echo '   make github            publish, then push to the gh-pages branch'
	@echo '   make clean             delete output/ and the content cache'
	@echo ''
	@echo 'Developing (docs/developers.md):'
	@echo '   make test              build the site and run every check'
	@echo '   make test-quick        the checks that need no browser, Java or nginx'
	@echo '   make serve             serve output/ at http://localhost:$(PORT)'
	@echo '   make regenerate        rebuild whenever a file changes'
	@echo '   make serve-global      serve output/ to the network at $(SERVER):$(PORT)'
	@echo '   make devserver-global  preview, served to the network at $(SERVER):$(PORT)'
	@echo '   make bench             measure build speed and page weight'
	@echo '   make translations      update the Spanish catalog of the theme wording, then compile it'
	@echo ''
	@echo 'Switches: DEBUG=1 (full error messages and tracebacks), V=1 (list every page with a'
	@echo '   notice, not only how many), RELATIVE=1 (relative links),'
	@echo '   PORT=8001, SERVER=0.0.0.0 (the -global targets), DRY_RUN=1 (deploy: show, do not send)'
	@echo '   PELICANOPTS="-e KEY=VALUE ..." (any option of pelican; see tools/build.py --help)'
	@echo 'Folders: INPUTDIR OUTPUTDIR CONFFILE PUBLISHCONF'
	@echo 'Deploy settings: SSH_HOST SSH_USER SSH_PORT SSH_TARGET_DIR KEEP_RELEASES (rsync_upload),'
	@echo '   GITHUB_REMOTE GITHUB_CNAME (github)'

# The build's packages (requirements.txt); the tests and the benchmark add theirs.
$(SETUP): requirements.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(SETUP)

$(TEST_SETUP): $(SETUP) requirements-test.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(TEST_SETUP)

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

html: $(SETUP)
	$(BUILD) -s "$(CONFFILE)" $(PELICANOPTS)

# The build's own command deletes the output folder: it refuses one that is or holds
# the project's files (OUTPUTDIR=content, ., /).
clean: $(SETUP)
	$(PELICAN) --clean -o "$(OUTPUTDIR)" -s "$(CONFFILE)"
	rm -rf .cache

regenerate: $(SETUP)
	$(BUILD) -r -s "$(CONFFILE)" $(PELICANOPTS)

serve: $(SETUP)
	$(BUILD) -l -p $(PORT) -b $(BIND) -s "$(CONFFILE)" $(PELICANOPTS)

serve-global: $(SETUP)
	$(BUILD) -l -p $(PORT) -b $(SERVER) -s "$(CONFFILE)" $(PELICANOPTS)

devserver: $(SETUP)
	$(BUILD) -lr -p $(PORT) -b $(BIND) -s "$(CONFFILE)" $(PELICANOPTS)

devserver-global: $(SETUP)
	$(BUILD) -lr -p $(PORT) -b $(SERVER) -s "$(CONFFILE)" $(PELICANOPTS)

publish: $(SETUP)
	$(BUILD) -s "$(PUBLISHCONF)" $(PELICANOPTS)

# New content from tools/templates/. Asks for the title, or takes it from the
# command line: make newarticle TITLE="..." CATEGORY="Treatment"; make newfaq TITLE="...".
newarticle: $(SETUP)
	@$(PYTHON) tools/new_content.py article --content "$(INPUTDIR)"

newfaq: $(SETUP)
	@$(PYTHON) tools/new_content.py faq --content "$(INPUTDIR)"

# A translation brought up to date: make translated FILE=content/articles/es/recovery.md
# records the English text it now matches (its Translated-from field).
translated: $(SETUP)
	@$(PYTHON) tools/new_content.py translated --content "$(INPUTDIR)"

# Deploying (deploy/README.md). Each target checks its settings, builds the live
# site (a build that fails stops here: nothing is sent), then sends it.
# DRY_RUN=1: rsync lists what would change on the server, sending nothing;
# ghp-import commits to the local gh-pages branch and does not push.
#
# rsync_upload never changes the live folder file by file. It uploads the site
# into a new release folder beside it, SSH_TARGET_DIR-releases/<UTC time>-<pid>
# (files unchanged since the live release are hard links to it, not sent), and
# then makes SSH_TARGET_DIR a link to that release with one rename: the web
# server shows the old site or the new one, never a mix. The last KEEP_RELEASES
# releases are kept, to go back to one. The server needs GNU `mv -T` (Debian).
SSH_TARGET=$(patsubst %/,%,$(SSH_TARGET_DIR))
RELEASES=$(SSH_TARGET)-releases
KEEP=$(if $(filter 0 1,$(KEEP_RELEASES)),2,$(KEEP_RELEASES))
SSH_LOGIN=$(if $(SSH_USER),-l $(SSH_USER)) $(SSH_HOST)
RSYNC_HOST=$(if $(SSH_USER),$(SSH_USER)@)$(SSH_HOST)
RSYNC_DEST=$(RSYNC_HOST):$(SSH_TARGET)
# On the server, after the upload: link the release in, move a plain folder left by
# an earlier way of deploying out of the way (once), then prune old releases.
SWITCH=set -e; \
	ln -sfn "$(notdir $(RELEASES))/$$release" "$(SSH_TARGET).new-link"; \
	if [ -d "$(SSH_TARGET)" ] && [ ! -L "$(SSH_TARGET)" ]; then \
	  rmdir "$(SSH_TARGET)" 2>/dev/null || mv -T "$(SSH_TARGET)" "$(RELEASES)/0-before-releases"; fi; \
	mv -T "$(SSH_TARGET).new-link" "$(SSH_TARGET)"; \
	cd "$(RELEASES)" && ls -1r | sed "1,$(KEEP)d" | while read -r old; do \
	  [ "$$old" = "$$release" ] || rm -rf -- "$$old"; done

rsync_upload:
	@$(CHECK_DEPLOY) rsync_upload
	@command -v rsync >/dev/null 2>&1 || { echo "make rsync_upload: rsync is not installed; run tools/system-deps.sh" >&2; exit 2; }
	@$(MAKE) --no-print-directory publish
	@$(REFUSE_PREVIEW) rsync_upload
ifneq ($(DRY),)
	@$(SEND) rsync_upload -- rsync -e "ssh -p $(SSH_PORT)" -rvzc --delete --dry-run "$(OUTPUTDIR)"/ "$(RSYNC_DEST)/"
	@echo "Dry run: nothing was sent to $(RSYNC_DEST)"
else
	@release=$$(date -u +%Y%m%dT%H%M%SZ)-$$$$ && \
	echo "rsync to $(RSYNC_HOST):$(RELEASES)/$$release/" && \
	$(SEND) rsync_upload -- rsync -e "ssh -p $(SSH_PORT)" -rvzc --rsync-path='mkdir -p "$(RELEASES)" "$(SSH_TARGET)" && rsync' \
	  --link-dest="../../$(notdir $(SSH_TARGET))" "$(OUTPUTDIR)"/ "$(RSYNC_HOST):$(RELEASES)/$$release/" && \
	$(SEND) rsync_upload --switch -- ssh -p $(SSH_PORT) $(SSH_LOGIN) "release=$$release; "'$(SWITCH)' && \
	echo "Sent the site to $(RSYNC_DEST): release $$release is live (the last $(KEEP) are in $(RELEASES)/)"
endif

github:
	@$(CHECK_DEPLOY) github
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "make github: this folder is not a git repository; run it in the site's git clone" >&2; exit 2; }
	@[ -n "$(DRY)" ] || git remote get-url "$(GITHUB_REMOTE)" >/dev/null 2>&1 || { echo "make github: there is no git remote named $(GITHUB_REMOTE); add it (git remote add $(GITHUB_REMOTE) <address>) or set GITHUB_REMOTE=<name>" >&2; exit 2; }
	@$(MAKE) --no-print-directory publish
	@$(REFUSE_PREVIEW) github
	@# Build on the remote's gh-pages history (absent the first time).
	@[ -n "$(DRY)" ] || git fetch --quiet $(GITHUB_REMOTE) $(GITHUB_PAGES_BRANCH) 2>/dev/null || true
	@$(SEND) github -- $(VENV)/bin/ghp-import -n -m "Publish the site" -b $(GITHUB_PAGES_BRANCH) $(if $(GITHUB_CNAME),-c $(GITHUB_CNAME)) $(if $(DRY),,-p -r $(GITHUB_REMOTE)) "$(OUTPUTDIR)"
	@echo "$(if $(DRY),Dry run: committed to the local $(GITHUB_PAGES_BRANCH) branch and not pushed; git push $(GITHUB_REMOTE) $(GITHUB_PAGES_BRANCH) sends it,Pushed the site to $(GITHUB_REMOTE) $(GITHUB_PAGES_BRANCH))"

# The benchmark (bench/README.md): build speed against plain Pelican, edit-to-preview in
# the devserver, page weight, how they grow.
# Takes minutes; BENCH_SIZES=100,1000 BENCH_RUNS=1 for a quick look; BENCH_PROFILE=1
# also writes pyinstrument profiles of the 1,000-article builds to bench/results/.
BENCH_SIZES?=100,1000,5000
BENCH_RUNS?=3

# The theme's wording in Spanish (README: Translate a page into Spanish): find the
# texts in the templates and plugins/discovery, add new ones to the Spanish
# catalog (theme/translations/es/LC_MESSAGES/messages.po), compile it for the build.
PYBABEL=$(VENV)/bin/pybabel
CATALOGS=theme/translations

translations: $(SETUP)
	$(PYBABEL) extract -F babel.cfg -k translate:2 --no-location --sort-output --omit-header \
		-o $(CATALOGS)/messages.pot plugins theme
	$(PYBABEL) update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching \
		--ignore-pot-creation-date --ignore-obsolete
	$(PYBABEL) compile -d $(CATALOGS) --statistics

bench: $(TEST_SETUP)
	BENCH_SIZES="$(BENCH_SIZES)" BENCH_RUNS="$(BENCH_RUNS)" BENCH_PROFILE="$(BENCH_PROFILE)" $(PYTHON) bench/run.py

# ruff (pyproject.toml) first, then every test. test-quick leaves out the tests that
# need Chromium, Java or nginx (tests/README.md): only rsync and ssh besides Python.
test: $(TEST_SETUP) node_modules/.installed
	tools/system-deps.sh
	$(VENV)/bin/ruff check .
	$(PYTHON) -m pytest tests

test-quick: $(TEST_SETUP)
	$(VENV)/bin/ruff check .
	$(PYTHON) -m pytest tests -m "not browser and not nginx"

.PHONY: help html clean regenerate serve serve-global devserver devserver-global publish newarticle newfaq translated rsync_upload github test test-quick bench translations
