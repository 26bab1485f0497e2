package hw

import (
	"bufio"
	"bytes"
	"regexp"

	"github.com/castmesh/castmesh/pkg/media"
)

// encoderLine matches one video encoder of `ffmpeg -encoders`: six flag
// characters starting with V, the name, then the description.
var encoderLine = regexp.MustCompile(`^\s*V[A-Z.]{5}\s+(\S+)`)

// hardwareName matches the hardware encoders castmesh knows, by ffmpeg's
// <codec>_<family> naming.
var hardwareName = regexp.MustCompile(`^(h264|hevc|vp9|av1)_(nvenc|vaapi|qsv)$`)

// ParseEncoders returns the hardware encoders named in the output of
// `ffmpeg -hide_banner -encoders`, in the order listed, without a device.
// Software encoders, audio encoders and unknown families are left out.
func ParseEncoders(out []byte) []Encoder {
	var encoders []Encoder
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		m := encoderLine.FindSubmatch(sc.Bytes())
		if m == nil {
			continue
		}
		fam := hardwareName.FindSubmatch(m[1])
		if fam == nil || seen[string(m[1])] {
			continue
		}
		seen[string(m[1])] = true
		encoders = append(encoders, Encoder{
			Name:  string(m[1]),
			Codec: media.VideoCodec(fam[1]),
			Kind:  string(fam[2]),
		})
	}
	return encoders
}
