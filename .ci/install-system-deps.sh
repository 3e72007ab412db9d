#!/bin/sh
# System packages the browser and triplestore tests need (Debian/Ubuntu):
# chromium (tests/test_browser.py drives /usr/bin/chromium with Playwright; never
# `playwright install`) and virtuoso-opensource (tests/test_load_virtuoso.py).
# Installs only what is missing; runs apt-get update at most once.
set -eu

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v virtuoso-t >/dev/null 2>&1 || missing="$missing virtuoso-opensource"

if [ -z "$missing" ]; then
    echo "install-system-deps: chromium and virtuoso-opensource already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-system-deps: need root (or sudo) to install:$missing" >&2
    exit 1
fi

echo "install-system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086  # word splitting of the package list is intended
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# the Debian package starts a system-wide Virtuoso on 1111/8890; the tests start their own
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now virtuoso-opensource-7 >/dev/null 2>&1 || true
fi
[ -x /usr/bin/chromium ] && command -v virtuoso-t >/dev/null 2>&1
echo "install-system-deps: done"
