package esrgan

import (
	"encoding/binary"
	"math"
	"strings"
)

// tinyModel is a small network of every layer class the converter knows:
// conv (relu) → 1×1 conv → add → concatenate → upsample ×2 → conv.
const tinyModel = `{"format":"layers-model","modelTopology":{"model_config":{"class_name":"Functional","config":{
"layers":[
{"class_name":"InputLayer","name":"in","config":{"batch_input_shape":[null,null,null,3]},"inbound_nodes":[]},
{"class_name":"Conv2D","name":"c1","config":{"filters":4,"kernel_size":[3,3],"strides":[1,1],"padding":"same","data_format":"channels_last","dilation_rate":[1,1],"groups":1,"activation":"relu","use_bias":true},"inbound_nodes":[[["in",0,0,{}]]]},
{"class_name":"Conv2D","name":"c2","config":{"filters":4,"kernel_size":[1,1],"strides":[1,1],"padding":"valid","data_format":"channels_last","dilation_rate":[1,1],"groups":1,"activation":"linear","use_bias":true},"inbound_nodes":[[["c1",0,0,{}]]]},
{"class_name":"Add","name":"sum","config":{},"inbound_nodes":[[["c1",0,0,{}],["c2",0,0,{}]]]},
{"class_name":"Activation","name":"act","config":{"activation":"relu"},"inbound_nodes":[[["sum",0,0,{}]]]},
{"class_name":"Concatenate","name":"cat","config":{"axis":3},"inbound_nodes":[[["c1",0,0,{}],["act",0,0,{}]]]},
{"class_name":"UpSampling2D","name":"up","config":{"size":[2,2],"interpolation":"nearest","data_format":"channels_last"},"inbound_nodes":[[["cat",0,0,{}]]]},
{"class_name":"Conv2D","name":"out","config":{"filters":3,"kernel_size":[3,3],"strides":[1,1],"padding":"same","data_format":"channels_last","dilation_rate":[1,1],"groups":1,"activation":"linear","use_bias":true},"inbound_nodes":[[["up",0,0,{}]]]}
],
"input_layers":[["in",0,0]],"output_layers":[["out",0,0]]}}},
"weightsManifest":[{"paths":["group1-shard1of1.bin"],"weights":[
{"name":"c1/kernel","shape":[3,3,3,4],"dtype":"float32"},{"name":"c1/bias","shape":[4],"dtype":"float32"},
{"name":"c2/kernel","shape":[1,1,4,4],"dtype":"float32"},{"name":"c2/bias","shape":[4],"dtype":"float32"},
{"name":"out/kernel","shape":[3,3,8,3],"dtype":"float32"},{"name":"out/bias","shape":[3],"dtype":"float32"}]}]}`

// tinyShard holds tinyModel's 351 weights, each its index / 1000.
func tinyShard() []byte {
	b := make([]byte, 0, 4*351)
	for i := range 351 {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(i)/1000))
	}
	return b
}

// shards serves one shard for any path.
func shards(b []byte) shardReader {
	return func(string) ([]byte, error) { return b, nil }
}

// edit returns tinyModel with old replaced by repl, once.
func edit(old, repl string) string {
	if !strings.Contains(tinyModel, old) {
		panic("tinyModel has no " + old)
	}
	return strings.Replace(tinyModel, old, repl, 1)
}
