#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to run Tracelens on a headless WebGPU device:
# the Vulkan loader and Mesa 25 lavapipe from bookworm-backports (Debian 12's own Mesa 22 lavapipe is
# rejected by Dawn: "shaderUniform*ArrayDynamicIndexing required"). Idempotent; needs root.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
have_mesa25() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '^25\.'; }
if have_mesa25 && dpkg -s libvulkan1 >/dev/null 2>&1; then
  echo "install-system: libvulkan1 and Mesa 25 lavapipe already installed"; exit 0
fi
# Add bookworm-backports on the same mirror the machine already uses.
SRC=/etc/apt/sources.list.d/debian.sources
URI=$(awk '/^URIs:/{print $2; exit}' "$SRC" 2>/dev/null || true)
[ -n "$URI" ] || URI=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$URI" ] || URI=http://deb.debian.org/debian
BP=/etc/apt/sources.list.d/tracelens-bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$URI" | $SUDO tee "$BP" >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libvulkan1 mesa-vulkan-drivers/bookworm-backports >/dev/null
dpkg-query -W -f='install-system: mesa-vulkan-drivers ${Version}\n' mesa-vulkan-drivers
