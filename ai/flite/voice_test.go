package flite

import "testing"

func TestPickVoice(t *testing.T) {
	tests := []struct {
		description string
		want        voice
	}{
		{"A male speaker delivers a slightly expressive and animated speech with a moderate speed and pitch.", voice{"rms", "en-us"}},
		{"A female speaker with a calm voice", voice{"slt", "en-us+f3"}},
		{"She speaks slowly", voice{"slt", "en-us+f3"}},
		{"A Scottish man", voice{"awb", "en-gb-scotland"}},
		{"A Scottish woman", voice{"slt", "en-us+f3"}},
		{"voice=KAL16, please", voice{"kal16", "en-us"}},
		{"a man reading, voice slt", voice{"slt", "en-us+f3"}},
		{"manly and heroic", voice{"kal", "en-us"}}, // "manly" is not "man": the default
		{"", voice{"kal", "en-us"}},
	}
	for _, tt := range tests {
		if got := pickVoice(tt.description, "kal"); got != tt.want {
			t.Errorf("pickVoice(%q) = %v, want %v", tt.description, got, tt.want)
		}
	}
}
