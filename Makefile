# The site's commands. `make html` builds, `make test` checks, `make help` lists all.
# Targets and switches follow pelican-quickstart's Makefile.

PY?=python3
VENV?=.venv
PYTHON=$(VENV)/bin/python
PELICAN=$(VENV)/bin/pelican
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
GITHUB_PAGES_BRANCH?=gh-pages
DRY_RUN?=

DEBUG ?= 0
ifeq ($(DEBUG), 1)
	PELICANOPTS += --verbose
endif

RELATIVE ?= 0
ifeq ($(RELATIVE), 1)
	PELICANOPTS += --relative-urls
endif

PORT ?= 8000
BIND ?= 127.0.0.1

SETUP=$(VENV)/.installed
BUILD=$(PYTHON) tools/build.py -c "$(INPUTDIR)" -o "$(OUTPUTDIR)"

help:
	@echo 'Commands for the kyphoplasty site'
	@echo ''
	@echo '   make html              build the site into output/ (sets itself up first)'
	@echo '   make test              build the site and run every check'
	@echo '   make devserver         preview at http://localhost:$(PORT), rebuilding on save'
	@echo '   make serve             serve output/ at http://localhost:$(PORT)'
	@echo '   make regenerate        rebuild whenever a file changes'
	@echo '   make clean             delete output/'
	@echo '   make newarticle        start a new article from the template'
	@echo '   make newfaq            start a new question from the template'
	@echo '   make publish           build the live site (publishconf.py) into output/'
	@echo '   make rsync_upload      publish, then copy to the web server over SSH'
	@echo '   make github            publish, then push to the gh-pages branch'
	@echo '   make bench             measure build speed and page weight'
	@echo ''
	@echo 'Switches: DEBUG=1 (more detail), PORT=8001, DRY_RUN=1 (deploy: show, do not send)'

$(SETUP): requirements.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(SETUP)

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

html: $(SETUP)
	$(BUILD) -s "$(CONFFILE)" $(PELICANOPTS)

clean:
	[ ! -d "$(OUTPUTDIR)" ] || rm -rf "$(OUTPUTDIR)"
	rm -rf .cache

regenerate: $(SETUP)
	$(PYTHON) tools/devserver.py --no-serve

serve: $(SETUP)
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND)

devserver: $(SETUP)
	$(PYTHON) tools/devserver.py --port $(PORT) --bind $(BIND)

publish: $(SETUP)
	$(BUILD) -s "$(PUBLISHCONF)" $(PELICANOPTS)

test: $(SETUP) node_modules/.installed
	tools/system-deps.sh
	$(PYTHON) -m pytest tests

.PHONY: help html clean regenerate serve devserver publish test
