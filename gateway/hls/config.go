package hls

import (
	"errors"
	"fmt"
	"time"
)

// Storage kinds.
const (
	// StorageMemory keeps segments in memory.
	StorageMemory = "memory"
	// StorageDisk writes segments under Config.Dir and serves them from there.
	StorageDisk = "disk"
)

// Config tunes HLS output.
type Config struct {
	// Window is the number of segments in a live media playlist. Apple
	// recommends at least 6 (HLS authoring spec); with 2 s segments that is
	// 12 s of DVR window and enough slack for players that start 3 segments
	// from the live edge (RFC 8216 §6.3.3).
	Window int `yaml:"window" help:"segments in each live media playlist"`
	// Record keeps every segment of a stream and serves recording.m3u8, an
	// EVENT playlist while live that becomes VOD when the stream ends.
	Record bool `yaml:"record" help:"keep every segment and serve a recording playlist"`
	// Storage is "memory" or "disk".
	Storage string `yaml:"storage" help:"where segments live: memory or disk"`
	// Dir is the root directory for disk storage; segments go to
	// Dir/{playbackId}/{rendition}/{seq}.ts.
	Dir string `yaml:"dir" help:"directory for disk storage"`
	// RetainEnded is how long an ended stream stays playable before it is
	// removed (and its files deleted); also the max-age of its responses.
	RetainEnded time.Duration `yaml:"retain_ended" help:"how long an ended stream stays playable"`
	// MaxPending is how many later segments may wait for a missing one
	// before the missing one is given up for lost. 8 segments of 2 s is 16 s,
	// beyond the 3-try retry budget of a segment across orchestrators.
	MaxPending int `yaml:"max_pending" help:"out-of-order segments held before a missing one is skipped"`
	// MaxRecordingBytes caps the segment bytes one stream holds in memory
	// while recording; past it the stream's recording stops (logged and
	// counted) and only the live window is kept. Disk storage holds
	// nothing in memory and is not capped by it.
	MaxRecordingBytes int64 `yaml:"max_recording_bytes" help:"segment bytes one recording stream may hold in memory"`
	// MaxMemoryBytes caps the segment bytes all streams hold in memory
	// together: a recording stream that adds a segment past it stops
	// recording.
	MaxMemoryBytes int64 `yaml:"max_memory_bytes" help:"segment bytes all streams may hold in memory"`
	// SweepInterval is how often Run looks for expired streams.
	SweepInterval time.Duration `yaml:"sweep_interval" help:"how often ended streams are checked for expiry"`
}

// DefaultConfig returns the settings castmesh ships with.
func DefaultConfig() Config {
	return Config{
		Window:      6,
		Record:      false,
		Storage:     StorageMemory,
		Dir:         "",
		RetainEnded: time.Hour,
		MaxPending:  8,
		// 1 GiB: about 25 minutes of the default 720p/480p/360p ladder
		// (5.4 Mbit/s together); record long streams with storage disk.
		MaxRecordingBytes: 1 << 30,
		// 8 GiB: eight such recordings, or many live windows.
		MaxMemoryBytes: 8 << 30,
		SweepInterval:  time.Minute,
	}
}

// Validate reports the first bad value, naming its key.
func (c Config) Validate() error {
	switch {
	case c.Window < 3 || c.Window > 1000:
		return fmt.Errorf("hls window: %d out of range 3..1000 (RFC 8216 §6.2.2 wants 3 target durations)", c.Window)
	case c.Storage != StorageMemory && c.Storage != StorageDisk:
		return fmt.Errorf("hls storage: %q is not memory or disk", c.Storage)
	case c.Storage == StorageDisk && c.Dir == "":
		return errors.New("hls dir: required when storage is disk")
	case c.RetainEnded < time.Second:
		return fmt.Errorf("hls retain_ended: %v is under 1s", c.RetainEnded)
	case c.MaxPending < 0 || c.MaxPending > 1000:
		return fmt.Errorf("hls max_pending: %d out of range 0..1000", c.MaxPending)
	case c.MaxRecordingBytes < 1 || c.MaxMemoryBytes < 1:
		return fmt.Errorf("hls max_recording_bytes and max_memory_bytes must be positive, got %d and %d", c.MaxRecordingBytes, c.MaxMemoryBytes)
	case c.SweepInterval <= 0:
		return fmt.Errorf("hls sweep_interval: %v must be positive", c.SweepInterval)
	}
	return nil
}
