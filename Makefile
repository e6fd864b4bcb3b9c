# aw-timetracker. `make run` and `make test` work on a fresh Debian/Ubuntu
# machine: they install the system packages the build needs when missing.

APP      := aw-timetracker
BIN      := bin/$(APP)
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

export CGO_ENABLED := 1
export LANG ?= en_US.UTF-8

# Headers for Fyne (GLFW/X11, GL) and gcc for go-sqlite3. Installed before
# the first cgo build, which otherwise fails after minutes of compiling.
APT_BUILD := gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
             libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
# To run the GUI without a display (tests, CI): X server, session bus, software GL,
# and ImageMagick's import for the e2e screenshot.
APT_HEADLESS := xvfb xauth dbus libgl1-mesa-dri imagemagick
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

FYNE_TOOLS := fyne.io/tools/cmd/fyne@v1.7.4
XVFB_RUN   := xvfb-run -a -s "-screen 0 1024x768x24" dbus-run-session --

.PHONY: all deps deps-headless build run test test-unit test-race test-fuzz test-gui vet bench bench-scale bench-real bench-pushoff bench-idle screenshots package deb windows install clean

all: build

deps:
	@command -v dpkg >/dev/null 2>&1 || { echo "not a Debian/Ubuntu system: install the equivalents of: $(APT_BUILD)"; exit 0; }; \
	missing=$$(for p in $(APT_BUILD); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing build packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps-headless: deps
	@command -v dpkg >/dev/null 2>&1 || exit 0; \
	missing=$$(for p in $(APT_HEADLESS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing headless-run packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./app

run: build
	./$(BIN) $(ARGS)

vet: deps
	$(GO) vet ./...

# Everything: unit, widget (Fyne test driver) and CLI end-to-end tests, then
# the tray end-to-end test under Xvfb on a private D-Bus session.
test: deps-headless vet test-unit test-race test-fuzz test-gui

test-unit:
	$(GO) test -count=1 ./...

# The sync reads on one goroutine and imports on another: the packages
# that run it, under the race detector.
test-race:
	$(GO) test -count=1 -race ./internal/syncer ./internal/classify ./internal/engine

# Each fuzz target briefly (FUZZTIME=1m for a longer run).
FUZZTIME ?= 3s
test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzImportEvents$$' -fuzztime $(FUZZTIME) ./internal/syncer
	$(GO) test -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime $(FUZZTIME) ./internal/syncer
	$(GO) test -run '^$$' -fuzz '^FuzzParseBucketIDs$$' -fuzztime $(FUZZTIME) ./internal/config
	$(GO) test -run '^$$' -fuzz '^FuzzPageCount$$' -fuzztime $(FUZZTIME) ./internal/activitywatch

test-gui:
	@command -v xvfb-run >/dev/null 2>&1 && command -v dbus-run-session >/dev/null 2>&1 || \
		{ echo "xvfb-run or dbus-run-session missing: install xvfb xauth dbus to run the tray test"; exit 1; }
	AWTT_GUI_E2E=1 TEST_OUTPUT_DIR=$(CURDIR)/test-output $(XVFB_RUN) $(GO) test -count=1 -v -run 'TestTrayEndToEnd' ./app

# Every window and tab rendered with the fixture data (Fyne's test driver,
# no display) in each language to assets/screenshots/<language>/*.png, at
# the windows' sizes: the README shows them.
screenshots: deps
	AWTT_SCREENSHOTS=$(CURDIR)/assets/screenshots $(GO) test -count=1 -run '^TestScreenshots$$' ./internal/ui
	@ls -l assets/screenshots/*

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Whole-process figures (BENCHMARKS.md): a first sync of 90 dense days,
# and the idle tray beside a minimal Fyne tray app under Xvfb.
bench-scale: build
	internal/bench/scale.sh

# Against the real aw-server and TimeTracker's own import (../shared/servers;
# not in CI): skips with a message when they are not installed.
bench-real: build
	internal/bench/real.sh

# How much of a --push off project's time pushed blocks of other projects
# cover, against the real aw-server and TimeTracker (five generated working
# days; not in CI; skips when the servers are not installed).
bench-pushoff: build
	internal/bench/pushoff/run.sh $$(mktemp -d) 2026-11-27:11 2026-11-30:12 2026-12-01:13 2026-12-02:14 2026-12-03:15

bench-idle: build deps-headless
	internal/bench/idle.sh 60

# A Linux archive made by Fyne's packaging tool from the binary built above
# (--exe: no second cold cgo build).
package: build
	@test -x bin/tools/fyne || GOBIN=$(CURDIR)/bin/tools $(GO) install $(FYNE_TOOLS)
	bin/tools/fyne package -os linux --src app --exe $(CURDIR)/$(BIN) --name $(APP) \
		--icon $(CURDIR)/assets/icon.png --app-id io.github.awtimetracker.app --app-version 0.1.0
	mkdir -p dist && mv -f $(APP).tar.xz dist/
	@ls -l dist

# A Debian package, dist/aw-timetracker_<version>_<arch>.deb, of the binary
# built above, made by packaging/deb with nfpm as a library. Its Depends come
# from dpkg-shlibdeps (dpkg-dev) and the binary is stripped (binutils): both
# installed here when missing. The version is VERSION (git describe), turned
# into a Debian version as packaging/deb/version.go explains.
deb: build
	@command -v dpkg-shlibdeps >/dev/null 2>&1 && command -v strip >/dev/null 2>&1 || { \
		echo "Installing dpkg-dev (dpkg-shlibdeps, strip)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends dpkg-dev binutils; }
	$(GO) run ./packaging/deb -binary $(BIN) -version $(VERSION) -out dist/

# A 64-bit Windows build, cross-compiled with mingw-w64 (installed here when
# missing): GUI subsystem, so no console window opens for the tray; commands
# run from a terminal attach to its console (app/console_windows.go); the
# icon and version resource come from packaging/windows (a .syso, removed
# after the build).
WIN_CC := x86_64-w64-mingw32-gcc
windows:
	@command -v $(WIN_CC) >/dev/null 2>&1 || { echo "Installing gcc-mingw-w64-x86-64"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64; }
	$(GO) run ./packaging/windows -version $(VERSION) -build $$(git rev-list --count HEAD 2>/dev/null || echo 0) -out app/rsrc_windows_amd64.syso
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(WIN_CC) $(GO) build -ldflags "-H windowsgui -s -w $(LDFLAGS)" -o dist/$(APP).exe ./app; \
		status=$$?; rm -f app/rsrc_windows_amd64.syso; exit $$status
	@ls -l dist/$(APP).exe

# Installs for the current user (~/.local/bin and ~/.local/share).
install: build
	packaging/linux/install.sh $(BIN)

clean:
	rm -rf bin dist test-output
