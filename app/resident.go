package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/resident"
)

// keepResidentSmall trims the process's resident set once start-up has
// settled and after every sync, so the app idles at what idling uses (see
// internal/resident).
func keepResidentSmall(ctx context.Context, eng *engine.Engine, log zerolog.Logger) {
	var wasSyncing atomic.Bool
	synced := make(chan struct{}, 1)
	eng.Subscribe(func(st engine.Status) {
		if wasSyncing.Swap(st.Syncing) && !st.Syncing {
			select {
			case synced <- struct{}{}:
			default:
			}
		}
	})
	go func() {
		settle := time.NewTimer(10 * time.Second)
		defer settle.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-settle.C:
			case <-synced:
			}
			if err := resident.Trim(); err != nil {
				log.Debug().Err(err).Msg("trimming the resident set")
			}
		}
	}()
}
