#!/usr/bin/env bash
# Build the Linux one-folder application and a .deb package.
#   packaging/build_linux.sh            -> dist/kpi-desktop/ and dist/kpi-desktop_<version>_<arch>.deb
# Needs the project installed in .venv with the dev extra (pyinstaller) and dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
VERSION=$($PY -c 'import kpi_desktop; print(kpi_desktop.__version__)')
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)

$PY -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/kpi_desktop.spec

# .deb: the folder under /opt, a launcher in /usr/bin, a desktop entry.
STAGE=build/deb/kpi-desktop_${VERSION}_${ARCH}
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications"
cp -a dist/kpi-desktop "$STAGE/opt/kpi-desktop"
ln -s /opt/kpi-desktop/kpi-desktop "$STAGE/usr/bin/kpi-desktop"
cp packaging/kpi-desktop.desktop "$STAGE/usr/share/applications/"
SIZE=$(du -sk "$STAGE/opt" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: kpi-desktop
Version: ${VERSION}
Section: office
Priority: optional
Architecture: ${ARCH}
Installed-Size: ${SIZE}
Depends: libdbus-1-3, libegl1, libfontconfig1, libgl1, libglib2.0-0, libx11-xcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-randr0, libxcb-shape0, libxcb-sync1, libxcb-xfixes0, libxkbcommon-x11-0
Maintainer: KPI Desktop <kpi-desktop@localhost>
Description: Work log and Decree 335/2025/ND-CP evaluation for civil servants
 Offline-first desktop application: daily work log against the catalog of standard
 products, leader confirmation, monthly score and yearly classification.
CONTROL
dpkg-deb --root-owner-group --build "$STAGE" "dist/kpi-desktop_${VERSION}_${ARCH}.deb" >/dev/null
echo "built dist/kpi-desktop ($(du -sh dist/kpi-desktop | cut -f1)) and dist/kpi-desktop_${VERSION}_${ARCH}.deb ($(du -sh dist/kpi-desktop_${VERSION}_${ARCH}.deb | cut -f1))"
