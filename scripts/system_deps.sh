#!/usr/bin/env bash
# The system packages the test suite uses: Chromium (browser tests), CJK fonts (PDF and
# screen text), poppler (reading PDFs back), LibreOffice Calc and Writer (opening exports)
# and gettext (compiling the catalogues).
#
#   scripts/system_deps.sh           make sure of them: install what is missing where this
#                                    machine allows it (Debian with apt-get, as root or with
#                                    password-less sudo), otherwise stop with one message
#                                    naming the command to run. `make test` and .ci/run call this.
#   scripts/system_deps.sh --check   only check; exit 1 with the same message if anything is missing.
#
# Never a silent skip: a browser test that cannot start its browser is a failure, not a pass.
# ICDC_CHROMIUM names the Chromium binary when it is not `chromium` on PATH (tests/conftest.py
# reads the same variable).
set -euo pipefail

mode="${1:-install}"
case "$mode" in
  install|--install) mode=install ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# Debian package → is it usable here? Checked by what the suite actually runs.
has_chromium() {
  local bin="${ICDC_CHROMIUM:-$(command -v chromium || true)}"
  [ -n "$bin" ] && [ -x "$bin" ]
}
# (not `fc-list | grep -q`: grep quitting early makes fc-list fail with SIGPIPE under pipefail)
has_cjk_font() { command -v fc-list >/dev/null && grep -q "Noto Sans CJK" <<<"$(fc-list : family 2>/dev/null)"; }
has_poppler() { command -v pdftotext >/dev/null && command -v pdffonts >/dev/null; }
# soffice alone may be Writer without Calc: look for each module beside the real binary.
office_module() {
  local soffice
  soffice="$(command -v soffice || true)"
  [ -n "$soffice" ] && [ -e "$(dirname "$(readlink -f "$soffice")")/$1" ]
}
has_calc() { office_module libsclo.so; }
has_writer() { office_module libswlo.so; }
has_gettext() { command -v msgfmt >/dev/null; }

missing_packages() {
  local out=()
  has_chromium || out+=(chromium)
  has_cjk_font || out+=(fonts-noto-cjk fontconfig)
  has_poppler || out+=(poppler-utils)
  has_calc || out+=(libreoffice-calc-nogui)
  has_writer || out+=(libreoffice-writer-nogui)
  has_gettext || out+=(gettext)
  echo "${out[@]}"
}

stop() {
  local packages="$1"
  {
    echo "ICDC: the test suite needs system packages that are missing here: $packages"
    echo "Nothing was run. Install them, then run the tests again:"
    echo
    echo "    sudo apt-get update && sudo apt-get install -y $packages"
    echo
    echo "(on Debian/Ubuntu; elsewhere install the equivalents. A Chromium outside PATH:"
    echo " ICDC_CHROMIUM=/path/to/chromium make test)"
  } >&2
  exit 1
}

# apt-get waits for a dpkg lock held by another apt run instead of failing at once.
apt_wait() {
  local tries=0 log
  log="$(mktemp)"
  until "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 "$@" 2>"$log"; do
    if grep -q "Could not get lock\|Unable to lock\|is another process using it" "$log" \
        && [ $((tries += 1)) -lt 60 ]; then
      echo "(apt is busy in another process; waiting)" >&2
      sleep 10
    else
      cat "$log" >&2
      rm -f "$log"
      return 1
    fi
  done
  rm -f "$log"
}

packages="$(missing_packages)"
[ -z "$packages" ] && exit 0
[ "$mode" = check ] && stop "$packages"

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo=(sudo -n)
fi
if ! command -v apt-get >/dev/null || { [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; }; then
  stop "$packages"
fi

echo "== installing system packages for the test suite: $packages"
export DEBIAN_FRONTEND=noninteractive
apt_wait update -qq || stop "$packages"
# shellcheck disable=SC2086  # one word per package
apt_wait install -y -qq $packages >/dev/null || stop "$packages"

left="$(missing_packages)"
[ -z "$left" ] || stop "$left"
