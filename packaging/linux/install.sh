#!/bin/sh
# Installs aw-timetracker for the current user: the binary in ~/.local/bin,
# the desktop entry, AppStream metainfo and icon under ~/.local/share.
# Usage: install.sh BINARY
set -eu
bin=${1:?usage: install.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
install -Dm755 "$bin" "$HOME/.local/bin/aw-timetracker"
install -Dm644 "$here/io.github.awtimetracker.app.desktop" "$data/applications/io.github.awtimetracker.app.desktop"
install -Dm644 "$here/io.github.awtimetracker.app.metainfo.xml" "$data/metainfo/io.github.awtimetracker.app.metainfo.xml"
install -Dm644 "$here/io.github.awtimetracker.app.png" "$data/icons/hicolor/256x256/apps/io.github.awtimetracker.app.png"
echo "Installed $HOME/.local/bin/aw-timetracker. Start it from your applications menu, or run: aw-timetracker"
case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) echo "Note: $HOME/.local/bin is not on your PATH." ;; esac
