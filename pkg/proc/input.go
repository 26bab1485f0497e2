package proc

import "time"

// LocalProtocols is the -protocol_whitelist castmesh gives ffmpeg and
// ffprobe for every input a peer sent. A media file can name other
// resources (an HLS playlist its segments, a concat list its parts), and
// ffmpeg opens them with whatever protocol they say: without the
// whitelist, an upload that is a playlist of http:// URLs makes the node
// fetch them (server-side request forgery). The whitelist is inherited by
// every nested open, so only local files and pipes can be read.
const LocalProtocols = "file,pipe"

// Input is the ffmpeg arguments for an input a peer sent: the options that
// confine it (input options apply to the next -i only), then -i path.
func Input(path string) []string {
	return []string{"-protocol_whitelist", LocalProtocols, "-i", path}
}

// InputAs is Input with the demuxer forced to format (ffmpeg's name, e.g.
// mpegts or mov): for an input that can only be that, so that a peer's
// bytes that are something else (an HLS playlist, whose demuxer opens
// other files and, with no end tag, waits for more forever) fail at once.
func InputAs(format, path string) []string {
	return []string{"-protocol_whitelist", LocalProtocols, "-f", format, "-i", path}
}

// ProbeInput is the ffprobe arguments for an input a peer sent: the
// options that confine it, then path (ffprobe takes its input bare).
func ProbeInput(path string) []string {
	return []string{"-protocol_whitelist", LocalProtocols, path}
}

// ProbeTimeout bounds one ffprobe of an input a peer sent, where the
// caller's context has no tighter deadline: a probe reads headers, or
// counts the packets of at most a few hours of video (seconds to a minute
// on a disk), so a probe still running after this is stuck on a crafted
// file.
const ProbeTimeout = 5 * time.Minute
