package esrgan

import (
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

func convertTiny(model string, shard []byte) (*network, error) {
	m, err := parseModel([]byte(model))
	if err != nil {
		return nil, err
	}
	ws, err := readWeights(m.WeightsManifest, shards(shard))
	if err != nil {
		return nil, err
	}
	return convert(m, ws)
}

func TestConvertTiny(t *testing.T) {
	net, err := convertTiny(tinyModel, tinyShard())
	if err != nil {
		t.Fatal(err)
	}
	// Two 3×3 convolutions at input resolution reach 1 pixel each; the
	// one after upsampling reaches 1 output pixel, under 1 input pixel.
	if net.scale != 2 || net.halo != 2 || net.input != "in" || net.output != "out" {
		t.Errorf("scale %d, halo %d, %s → %s; want 2, 2, in → out", net.scale, net.halo, net.input, net.output)
	}
}

func TestConvertRejects(t *testing.T) {
	cases := []struct {
		name  string
		model string
		shard []byte
		want  error
	}{
		{"not json", "{", nil, ErrModelFormat},
		{"graph model", edit(`"layers-model"`, `"graph-model"`), nil, ErrModelFormat},
		{"lambda layer", edit(`"class_name":"Add"`, `"class_name":"Lambda"`), nil, ErrUnsupportedLayer},
		{"stride 2", edit(`"strides":[1,1]`, `"strides":[2,2]`), nil, ErrUnsupportedLayer},
		{"valid 3x3", edit(`"padding":"same"`, `"padding":"valid"`), nil, ErrUnsupportedLayer},
		{"bilinear", edit(`"interpolation":"nearest"`, `"interpolation":"bilinear"`), nil, ErrUnsupportedLayer},
		{"tanh", edit(`"activation":"relu"`, `"activation":"tanh"`), nil, ErrUnsupportedLayer},
		{"concat on width", edit(`"axis":3`, `"axis":2`), nil, ErrUnsupportedLayer},
		{"unknown input", edit(`[["c1",0,0,{}]]`, `[["nope",0,0,{}]]`), nil, ErrModelFormat},
		{"later input", edit(`[["c1",0,0,{}]]`, `[["out",0,0,{}]]`), nil, ErrModelFormat},
		{"repeated name", edit(`"name":"c2"`, `"name":"c1"`), nil, ErrModelFormat},
		{"bad node ref", edit(`["in",0,0,{}]`, `["in"]`), nil, ErrModelFormat},
		{"kernel shape", edit(`"shape":[1,1,4,4]`, `"shape":[1,1,2,8]`), nil, ErrModelFormat},
		{"missing weight", edit(`"c2/bias"`, `"c2/b"`), nil, ErrModelFormat},
		{"short shard", tinyModel, tinyShard()[:100], ErrModelFormat},
		{"long shard", tinyModel, append(tinyShard(), 0, 0, 0, 0), ErrModelFormat},
		{"quantized", edit(`"dtype":"float32"}`, `"dtype":"float32","quantization":{"dtype":"uint8"}}`), nil, ErrUnsupportedLayer},
		{"int32 weights", edit(`"dtype":"float32"}`, `"dtype":"int32"}`), nil, ErrUnsupportedLayer},
		{"shard outside", edit(`"group1-shard1of1.bin"`, `"../secret.bin"`), nil, ErrModelFormat},
		{"absolute shard", edit(`"group1-shard1of1.bin"`, `"/etc/passwd"`), nil, ErrModelFormat},
		{"huge weight", edit(`"shape":[3]`, `"shape":[4611686018427387904,4]`), nil, ErrModelFormat},
		{"grey input, rgb kernel", edit(`[null,null,null,3]`, `[null,null,null,1]`), nil, ErrModelFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shard := c.shard
			if shard == nil {
				shard = tinyShard()
			}
			_, err := convertTiny(c.model, shard)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestConvertESRGANSlim(t *testing.T) {
	cfg := testConfig(t)
	for _, scale := range []int{2, 3, 4, 8} {
		net, err := readNetwork(filepath.Join(cfg.AssetsDir, "models", "x"+strconv.Itoa(scale)))
		if err != nil {
			t.Fatal(err)
		}
		// Eight 3×3 convolutions and a 5×5 before upsampling, one 3×3
		// after: 1+1+1+1+1+2+1+1 + ⌈1/s⌉ = 10 input pixels.
		if net.scale != scale || net.halo != 10 {
			t.Errorf("x%d: scale %d, halo %d; want %d, 10", scale, net.scale, net.halo, scale)
		}
	}
}

func TestToOIHW(t *testing.T) {
	// A [1, 2, 3, 2] kernel (kh, kw, in, out) holding its own index.
	k := make([]float32, 12)
	for i := range k {
		k[i] = float32(i)
	}
	got := toOIHW(k, 1, 2, 3, 2)
	// out 0: in 0 (x0, x1), in 1, in 2; then out 1.
	want := []float32{0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
