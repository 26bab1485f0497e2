package sphinx

import (
	"errors"
	"time"
)

// Config says where the tools and the model files are, and bounds the work
// one request may ask for.
type Config struct {
	// FFmpeg is the ffmpeg command that decodes uploads; a bare name is
	// looked up in PATH.
	FFmpeg string `yaml:"ffmpeg"`
	// PocketSphinx is the pocketsphinx_continuous command.
	PocketSphinx string `yaml:"pocketsphinx"`
	// HMM is the acoustic model's folder (pocketsphinx -hmm).
	HMM string `yaml:"hmm"`
	// LM is the language model (pocketsphinx -lm).
	LM string `yaml:"lm"`
	// Dict is the pronouncing dictionary (pocketsphinx -dict).
	Dict string `yaml:"dict"`
	// MaxDuration bounds the audio a request may carry; longer audio is
	// refused as bad input rather than cut short.
	MaxDuration time.Duration `yaml:"max_duration"`
	// SentenceGap is the shortest pause that ends a sentence chunk.
	SentenceGap time.Duration `yaml:"sentence_gap"`
}

// debianModel is where Debian's pocketsphinx-en-us installs the model.
const debianModel = "/usr/share/pocketsphinx/model/en-us/"

// DefaultConfig returns the defaults: the tools from PATH and the model
// Debian installs.
func DefaultConfig() Config {
	return Config{
		FFmpeg:       "ffmpeg",
		PocketSphinx: "pocketsphinx_continuous",
		HMM:          debianModel + "en-us",
		LM:           debianModel + "en-us.lm.bin",
		Dict:         debianModel + "cmudict-en-us.dict",
		// 10 minutes: at about 0.3× real time one request then holds a
		// core for up to 3 minutes; longer recordings should be split.
		MaxDuration: 10 * time.Minute,
		// 300 ms: longer than the pauses between words of fluent speech
		// (PocketSphinx reports those as <sil> of 100–200 ms), shorter
		// than a breath between sentences.
		SentenceGap: 300 * time.Millisecond,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.FFmpeg == "":
		return errors.New("ffmpeg must be set")
	case c.PocketSphinx == "":
		return errors.New("pocketsphinx must be set")
	case c.HMM == "":
		return errors.New("hmm must be set")
	case c.LM == "":
		return errors.New("lm must be set")
	case c.Dict == "":
		return errors.New("dict must be set")
	case c.MaxDuration <= 0:
		return errors.New("max_duration must be positive")
	case c.SentenceGap <= 0:
		return errors.New("sentence_gap must be positive")
	}
	return nil
}
