package esrgan

import (
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
)

// weight is one named float32 array and its Keras shape.
type weight struct {
	shape []int
	data  []float32
}

// maxWeightBytes bounds one group's shards (and so the allocation a
// manifest can ask for): 256 MiB, far above ESRGAN's 1 MB but below what
// would hurt a worker.
const maxWeightBytes = 256 << 20

// shardReader returns the bytes of a shard named in the manifest.
type shardReader func(path string) ([]byte, error)

// readWeights reads every weight of the manifest. Each group's shards are
// concatenated in order and sliced in the order the weights are listed;
// bytes left over mean the manifest and shards disagree.
func readWeights(groups []weightGroup, read shardReader) (map[string]weight, error) {
	ws := map[string]weight{}
	for gi, g := range groups {
		buf, err := readShards(g.Paths, read)
		if err != nil {
			return nil, fmt.Errorf("weight group %d: %w", gi, err)
		}
		for _, spec := range g.Weights {
			w, rest, err := takeWeight(spec, buf)
			if err != nil {
				return nil, fmt.Errorf("weight group %d: %w", gi, err)
			}
			if _, dup := ws[spec.Name]; dup {
				return nil, fmt.Errorf("%w: weight %q listed twice", ErrModelFormat, spec.Name)
			}
			ws[spec.Name], buf = w, rest
		}
		if len(buf) != 0 {
			return nil, fmt.Errorf("%w: weight group %d: %d bytes left after the last weight", ErrModelFormat, gi, len(buf))
		}
	}
	return ws, nil
}

func readShards(paths []string, read shardReader) ([]byte, error) {
	var buf []byte
	for _, p := range paths {
		// Shard paths come from the file; keep them inside its folder.
		if !filepath.IsLocal(p) {
			return nil, fmt.Errorf("%w: shard path %q leaves the model folder", ErrModelFormat, p)
		}
		b, err := read(p)
		if err != nil {
			return nil, fmt.Errorf("shard %q: %w", p, err)
		}
		if len(buf)+len(b) > maxWeightBytes {
			return nil, fmt.Errorf("%w: shards larger than %d bytes", ErrModelFormat, maxWeightBytes)
		}
		buf = append(buf, b...)
	}
	return buf, nil
}

// takeWeight decodes spec from the front of buf and returns the rest.
func takeWeight(spec weightSpec, buf []byte) (weight, []byte, error) {
	if spec.DType != "float32" && spec.DType != "" {
		return weight{}, nil, fmt.Errorf("%w: weight %q has dtype %q, want float32", ErrUnsupportedLayer, spec.Name, spec.DType)
	}
	if len(spec.Quantization) > 0 && string(spec.Quantization) != "null" {
		return weight{}, nil, fmt.Errorf("%w: weight %q is quantized", ErrUnsupportedLayer, spec.Name)
	}
	n, ok := elements(spec.Shape, len(buf)/4)
	if !ok {
		return weight{}, nil, fmt.Errorf("%w: weight %q of shape %v needs more than the %d bytes left",
			ErrModelFormat, spec.Name, spec.Shape, len(buf))
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
	}
	return weight{shape: spec.Shape, data: data}, buf[4*n:], nil
}

// elements is the product of shape, if it is at most limit.
func elements(shape []int, limit int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && n > limit/d) {
			return 0, false
		}
		n *= d
	}
	return n, n <= limit
}
