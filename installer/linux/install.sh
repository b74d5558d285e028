#!/usr/bin/env bash
# Per-user install of the unpacked tarball: no root, nothing outside ~/.local (or $PREFIX).
#   ./install.sh            installs into ~/.local
#   PREFIX=/opt/x ./install.sh   elsewhere (then add $PREFIX/bin to PATH yourself)
# The workspace, identities and preferences live in the XDG data/config folders, never in here, so
# installing a newer version over an older one keeps them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
app="$PREFIX/lib/mlops-audit-workbench"
bindir="$PREFIX/bin"

mkdir -p "$app" "$bindir" "$PREFIX/share/applications"
rm -rf "$app/workbench.new"
cp -a "$here/workbench" "$app/workbench.new"
rm -rf "$app/workbench" && mv "$app/workbench.new" "$app/workbench"
ln -sfn "$app/workbench/workbench" "$bindir/workbench"

for png in "$here"/icons/workbench-*.png; do
  size=$(basename "$png" .png | sed 's/workbench-//')
  mkdir -p "$PREFIX/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$PREFIX/share/icons/hicolor/${size}x${size}/apps/mlops-audit-workbench.png"
done
mkdir -p "$PREFIX/share/icons/hicolor/scalable/apps"
cp "$here/icons/workbench.svg" "$PREFIX/share/icons/hicolor/scalable/apps/mlops-audit-workbench.svg"
sed "s|@BINDIR@|$bindir|" "$here/mlops-audit-workbench.desktop" \
  > "$PREFIX/share/applications/mlops-audit-workbench.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$PREFIX/share/icons/hicolor" || true

echo "Installed into $app"
echo "Start it from the applications menu, or run: $bindir/workbench"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "(add $bindir to PATH to type 'workbench' in a terminal)";; esac
