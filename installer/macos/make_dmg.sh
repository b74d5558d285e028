#!/usr/bin/env bash
# Wrap an .app in a compressed disk image with an Applications link (drag to install):
#   bash installer/macos/make_dmg.sh "build/dist/MLOps Audit Workbench.app"
set -euo pipefail
cd "$(dirname "$0")/../.."
app=${1:?usage: make_dmg.sh PATH.app}
version=$(.venv/bin/python -c 'from workbench import __version__; print(__version__)')
dmg="dist/mlops-audit-workbench-${version}-macos-$(uname -m).dmg"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
mkdir -p dist && rm -f "$dmg"
hdiutil create -volname "MLOps Audit Workbench" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then codesign --sign "$CODESIGN_IDENTITY" --timestamp "$dmg"; fi
echo "disk image: $dmg ($(du -h "$dmg" | cut -f1))"
