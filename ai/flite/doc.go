// Package flite speaks English text with CMU Flite 2.2 and its CMU ARCTIC
// clustergen voices, serving the text-to-speech pipeline as the model
// "cmu/flite-arctic". Clustergen is statistical parametric synthesis: each
// voice is trained on about an hour of one speaker's recordings, but it is
// pre-neural, so the speech is intelligible and clearly synthetic, far from
// Parler-TTS, and the description cannot steer style, pace or pitch.
//
// The description only picks the voice. Its words are matched whole and
// case-insensitively, and the first rule that applies wins:
//
//  1. a voice's own name (slt, rms, awb, kal, kal16) picks that voice;
//  2. female, woman, women, girl, lady, feminine, she or her picks slt
//     (US English, female);
//  3. scottish, scotland or scots picks awb (Scottish English, male);
//  4. male, man, men, boy, gentleman, masculine, he or his picks rms (US
//     English, male);
//  5. anything else picks Config.DefaultVoice, rms.
//
// The ai-runner API's default description ("A male speaker delivers …")
// therefore speaks with rms.
//
// When flite is missing or fails, and Config.Fallback is on, the text is
// spoken by espeak-ng instead, a rule-based formant synthesizer (no trained
// model), with a matching voice (en-us, en-us+f3 or en-gb-scotland). That
// is logged, at warn level, because the answer then is not what the model
// id says. Operators who want espeak-ng and an honest id for it serve
// ESpeakModel, "espeak/ng-en-us".
//
// Answers are WAV files: 16 kHz mono 16-bit from flite, 22.05 kHz from
// espeak-ng.
package flite
