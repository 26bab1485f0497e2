package hls

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// segmentFilePattern matches what this package writes in a rendition's
// directory: segments and the temporary files they are written through.
var segmentFilePattern = regexp.MustCompile(`^([0-9]+\.(ts|m4s)|\.tmp-[0-9]+)$`)

// removeOrphans deletes the stream directories a previous run left under
// dir. Their streams lived in that process's memory, so nothing can serve
// or expire them now: they would fill the disk, one stream at a time.
// Only directories that hold nothing but rendition directories of segment
// files are touched, so a dir shared with other files loses none of them.
func removeOrphans(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if !e.IsDir() || !playbackIDPattern.MatchString(e.Name()) || !onlySegments(path) {
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return removed, fmt.Errorf("remove orphaned segments %s: %w", path, err)
		}
		removed++
	}
	return removed, nil
}

// onlySegments reports whether a stream directory holds rendition
// directories of segment files and nothing else.
func onlySegments(stream string) bool {
	renditions, err := os.ReadDir(stream)
	if err != nil {
		return false
	}
	for _, r := range renditions {
		if !r.IsDir() || !renditionPattern.MatchString(r.Name()) {
			return false
		}
		files, err := os.ReadDir(filepath.Join(stream, r.Name()))
		if err != nil {
			return false
		}
		for _, f := range files {
			if !f.Type().IsRegular() || !segmentFilePattern.MatchString(f.Name()) {
				return false
			}
		}
	}
	return true
}
