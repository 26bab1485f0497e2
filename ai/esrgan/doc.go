// Package esrgan is castmesh's built-in upscale model: ESRGAN-slim, a real
// neural network run on the CPU.
//
// The network is the RDN (residual dense network) of idealo's image-super-
// resolution project (C=1, D=2, G=4, G0=64), trained on DIV2K and
// published by Kevin Scott as the npm package @upscalerjs/esrgan-slim
// (MIT, © 2022 Kevin Scott, https://upscalerjs.com). The package ships
// TensorFlow.js *layers* models (Keras 2.10 model.json plus a float32
// weight shard) for ×2, ×3, ×4 and ×8; this package serves ×2 and ×4 as
// the model ids upscalerjs/esrgan-slim-x2 and upscalerjs/esrgan-slim-x4.
//
// Nothing is converted ahead of time or downloaded: Load reads model.json
// and its shard, converts the Keras layers (Conv2D, Activation, Concatenate,
// Add, UpSampling2D) to an ONNX graph with package ai/onnx, and compiles it
// with onnxruntime. The conversion reproduces the package's own reference
// outputs (assets/samples) to within rounding; the tests check it.
//
// Images of any size are upscaled in tiles: each tile is run with a margin
// (Config.TilePad) at least as wide as the network's receptive field, so
// every output pixel sees exactly the input it would see in one whole-image
// run and the tiles join without seams, while memory stays bounded by the
// tile size rather than the image size. With the defaults, ×2 of a 512²
// image takes about 2 CPU-seconds and 280 MiB of RSS on a 2-core machine
// (BenchmarkUpscale512); one whole-image run takes 0.5–0.9 GiB.
//
// ESRGAN takes no text: the upscale request's prompt, num_inference_steps
// and safety_check are ignored (no safety check is run; results report
// NSFW false). The seed does not change the output; it is echoed back, 0
// when the caller sent none.
package esrgan
