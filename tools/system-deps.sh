#!/bin/sh
# Install the Debian packages the tests need, if any is missing:
# Chromium (browser tests), Java (the HTML checker), nginx and its brotli_static
# module (the server test), rsync and ssh (the deployment dry-runs).
set -e
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || missing="$missing libnginx-mod-http-brotli-static"
command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
command -v ssh >/dev/null 2>&1 || missing="$missing openssh-client"
[ -z "$missing" ] && exit 0
echo "Installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
