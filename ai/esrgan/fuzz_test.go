package esrgan

import (
	"encoding/json"
	"testing"
)

// FuzzParseModel feeds model.json text through the parser and, when the
// manifest asks for little enough, the converter with zero weights.
func FuzzParseModel(f *testing.F) {
	f.Add([]byte(tinyModel))
	f.Add([]byte(edit(`"class_name":"Add"`, `"class_name":"Lambda"`)))
	f.Add([]byte(`{"format":"layers-model"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseModel(data)
		if err != nil {
			return
		}
		need := 0
		for _, g := range m.WeightsManifest {
			for _, w := range g.Weights {
				n, ok := elements(w.Shape, 1<<18)
				if !ok {
					return
				}
				if need += 4 * n; need > 1<<20 {
					return
				}
			}
		}
		ws, err := readWeights(m.WeightsManifest, func(string) ([]byte, error) { return make([]byte, need), nil })
		if err != nil {
			return
		}
		net, err := convert(m, ws)
		if err != nil {
			return
		}
		if len(net.onnx) == 0 || net.scale < 1 || net.halo < 0 {
			t.Fatalf("converted to %d bytes, scale %d, halo %d", len(net.onnx), net.scale, net.halo)
		}
	})
}

// FuzzReadWeights slices arbitrary shard bytes by an arbitrary manifest.
func FuzzReadWeights(f *testing.F) {
	manifest, err := json.Marshal(mustParse(f, tinyModel).WeightsManifest)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(manifest, tinyShard())
	f.Add([]byte(`[{"paths":["a.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]`), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte(`[{"paths":["../a.bin"],"weights":[]}]`), []byte{})
	f.Fuzz(func(t *testing.T, manifest, shard []byte) {
		var groups []weightGroup
		if json.Unmarshal(manifest, &groups) != nil {
			return
		}
		ws, err := readWeights(groups, shards(shard))
		if err != nil {
			return
		}
		total := 0
		for _, w := range ws {
			n, _ := elements(w.shape, len(shard))
			if n != len(w.data) {
				t.Fatalf("weight of shape %v has %d values", w.shape, len(w.data))
			}
			total += 4 * n
		}
		if shardCount(groups) == 1 && total != len(shard) {
			t.Fatalf("weights take %d of %d shard bytes", total, len(shard))
		}
	})
}

func shardCount(groups []weightGroup) int {
	n := 0
	for _, g := range groups {
		n += len(g.Paths)
	}
	return n
}

func mustParse(tb testing.TB, s string) *tfjsModel {
	tb.Helper()
	m, err := parseModel([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
