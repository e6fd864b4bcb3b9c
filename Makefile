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
# To run the GUI without a display (tests, CI): X server, session bus, software GL.
APT_HEADLESS := xvfb xauth dbus libgl1-mesa-dri
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps deps-headless build run test vet bench package install clean

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

test: deps-headless vet
	$(GO) test -count=1 ./...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

package: build
	@echo "packaging arrives with the desktop app"

clean:
	rm -rf bin dist
