#!/usr/bin/env bash
# Build the Linux bundle and its tarball:   bash installer/linux/build.sh
#
# Makes (or reuses) .venv, installs the app with the `bundle` extra (PyInstaller), runs installer/workbench.spec
# and packs build/dist/workbench into dist/mlops-audit-workbench-<version>-linux-<arch>.tar.gz:
#   mlops-audit-workbench-<version>/
#     workbench/                 the one-folder program (run workbench/workbench)
#     install.sh, uninstall.sh   per-user install into ~/.local (menu entry, icon, `workbench` on PATH)
#     mlops-audit-workbench.desktop, icons/, system-libraries.txt, README.txt
# Prints the bundle size and build time; BUILD_INFO.json beside the tarball records them.
# Environment: PYTHON (default python3, 3.11+) creates the venv; WORKBENCH_SKIP_PIP=1 skips the install step.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
started=$(date +%s)

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
if [ "${WORKBENCH_SKIP_PIP:-0}" != 1 ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[bundle]'
fi

version=$(.venv/bin/python -c 'from workbench import __version__; print(__version__)')
arch=$(uname -m)
name="mlops-audit-workbench-${version}"
stage="build/stage/${name}"

.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath build/dist --workpath build/pyinstaller installer/workbench.spec

rm -rf build/stage && mkdir -p "${stage}/icons" dist
cp -a build/dist/workbench "${stage}/workbench"
for size in 16 32 48 64 128 256 512; do
  cp "resources/icons/workbench-${size}.png" "${stage}/icons/"
done
cp resources/icons/workbench.svg "${stage}/icons/"
cp installer/linux/workbench.desktop "${stage}/mlops-audit-workbench.desktop"
cp installer/linux/system-libraries.txt installer/linux/install.sh installer/linux/uninstall.sh "${stage}/"
chmod +x "${stage}/install.sh" "${stage}/uninstall.sh"
cat > "${stage}/README.txt" <<EOF
MLOps Audit Workbench ${version} for Linux (${arch})

Run without installing:   ./workbench/workbench            (the desktop app)
                          ./workbench/workbench --help     (the command line)
Install for this user:    ./install.sh      (into ~/.local: program, menu entry, icon, 'workbench' command)
Uninstall:                ./uninstall.sh    (your workspace, identities and preferences are kept)

The desktop app needs the system libraries listed in system-libraries.txt (most desktops have them).
Nothing here needs a network connection.
EOF

tarball="dist/${name}-linux-${arch}.tar.gz"
tar -C build/stage -czf "${tarball}" "${name}"
finished=$(date +%s)

bundle_bytes=$(du -sb build/dist/workbench | cut -f1)
tar_bytes=$(stat -c %s "${tarball}")
seconds=$((finished - started))
cat > dist/BUILD_INFO.json <<EOF
{"version": "${version}", "arch": "${arch}", "tarball": "${tarball}", "bundle_bytes": ${bundle_bytes},
 "tarball_bytes": ${tar_bytes}, "build_seconds": ${seconds}, "pip_install": $([ "${WORKBENCH_SKIP_PIP:-0}" = 1 ] && echo false || echo true),
 "cores": $(nproc)}
EOF
echo "bundle:  build/dist/workbench ($((bundle_bytes / 1048576)) MiB)"
echo "tarball: ${ROOT}/${tarball} ($((tar_bytes / 1048576)) MiB)"
echo "build time: ${seconds} s"
