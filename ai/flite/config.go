package flite

import (
	"errors"
	"fmt"
	"slices"
)

// Config says which tools speak and bounds the text one request may carry.
type Config struct {
	// Flite is the flite command; a bare name is looked up in PATH.
	Flite string `yaml:"flite"`
	// ESpeak is the espeak-ng command, used by ESpeakModel and as the
	// fallback.
	ESpeak string `yaml:"espeak"`
	// Fallback has Model speak with espeak-ng when flite is missing or
	// fails, rather than fail the request.
	Fallback bool `yaml:"fallback"`
	// DefaultVoice is the flite voice for descriptions that name none.
	DefaultVoice string `yaml:"default_voice"`
	// MaxChars bounds the text, in characters.
	MaxChars int `yaml:"max_chars"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Flite:    "flite",
		ESpeak:   "espeak-ng",
		Fallback: true,
		// rms: the ai-runner API's default description asks for a male
		// speaker.
		DefaultVoice: "rms",
		// 5000 characters: about 5 minutes of speech, a 10 MB WAV, which
		// flite makes in about 7 s on one core.
		MaxChars: 5000,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.Flite == "":
		return errors.New("flite must be set")
	case c.Fallback && c.ESpeak == "":
		return errors.New("espeak must be set when fallback is on")
	}
	return c.validateText()
}

// validateESpeak checks the keys ESpeakModel reads.
func (c Config) validateESpeak() error {
	if c.ESpeak == "" {
		return errors.New("espeak must be set")
	}
	return c.validateText()
}

// validateText checks the keys both models read.
func (c Config) validateText() error {
	switch {
	case !slices.Contains(fliteVoices(), c.DefaultVoice):
		return fmt.Errorf("default_voice must be one of %v, got %q", fliteVoices(), c.DefaultVoice)
	case c.MaxChars <= 0:
		return errors.New("max_chars must be positive")
	}
	return nil
}
