package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// windowProcess is the on-demand child that shows the Fyne windows. The
// tray process sends it one window name per line on its stdin; it exits
// when its last window closes, or when its stdin closes (the tray quit).
type windowProcess struct {
	log   zerolog.Logger
	mu    sync.Mutex
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
}

func newWindowProcess(log zerolog.Logger) *windowProcess { return &windowProcess{log: log} }

// Show opens (or raises) a window, starting the child if needed.
func (w *windowProcess) Show(name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil {
		if err := w.startLocked(); err != nil {
			w.log.Error().Err(err).Msg("starting the window process")
			return err
		}
	}
	if _, err := fmt.Fprintln(w.stdin, name); err != nil {
		return fmt.Errorf("asking the window process for %s: %w", name, err)
	}
	return nil
}

func (w *windowProcess) startLocked() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program: %w", err)
	}
	cmd := exec.Command(exe, "window")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s window: %w", exe, err)
	}
	w.cmd, w.stdin, w.done = cmd, stdin, make(chan struct{})
	w.log.Info().Int("pid", cmd.Process.Pid).Msg("window process started")
	go func(cmd *exec.Cmd, done chan struct{}) {
		err := cmd.Wait()
		w.log.Info().AnErr("exit", err).Msg("window process ended")
		w.mu.Lock()
		if w.cmd == cmd {
			w.cmd, w.stdin = nil, nil
		}
		w.mu.Unlock()
		close(done)
	}(cmd, w.done)
	return nil
}

// Close ends the child: closing its stdin asks it to quit.
func (w *windowProcess) Close() {
	w.mu.Lock()
	cmd, stdin, done := w.cmd, w.stdin, w.done
	w.mu.Unlock()
	if cmd == nil {
		return
	}
	stdin.Close()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}
