#!/usr/bin/env bash
# Remove what install.sh put in ~/.local (or $PREFIX). Your data is kept: the workspace and identities in
# ~/.local/share/workbench, the preferences in ~/.config/workbench, the logs in ~/.local/state/workbench.
set -euo pipefail
PREFIX=${PREFIX:-$HOME/.local}
rm -rf "$PREFIX/lib/mlops-audit-workbench"
if [ -L "$PREFIX/bin/workbench" ]; then rm -f "$PREFIX/bin/workbench"; fi
rm -f "$PREFIX/share/applications/mlops-audit-workbench.desktop"
find "$PREFIX/share/icons/hicolor" -name 'mlops-audit-workbench.*' -delete 2>/dev/null || true
echo "Removed the program. Your workspace, identities and preferences were kept."
