#!/usr/bin/env bash
# Build "MLOps Audit Workbench.app" and a drag-to-Applications disk image on macOS:
#   bash installer/macos/build.sh
# Output: build/dist/MLOps Audit Workbench.app and dist/mlops-audit-workbench-<version>-macos-<arch>.dmg
# Build on the architecture you ship (arm64 on Apple silicon, x86_64 on Intel): PyInstaller does not
# cross-compile. Signing and notarisation need the firm's Apple Developer ID:
#   CODESIGN_IDENTITY="Developer ID Application: ..." bash installer/macos/build.sh
# then `xcrun notarytool submit dist/*.dmg --keychain-profile ... --wait` and `xcrun stapler staple dist/*.dmg`.
# Data lives in ~/Library/Application Support/workbench, never in the .app, so replacing the app keeps it.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[bundle]'
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath build/dist --workpath build/pyinstaller \
  installer/workbench.spec

app="build/dist/MLOps Audit Workbench.app"
"$app/Contents/MacOS/workbench" --version
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
fi
bash installer/macos/make_dmg.sh "$app"
echo "build time: $(( $(date +%s) - started )) s"
