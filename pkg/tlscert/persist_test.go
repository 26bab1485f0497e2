package tlscert

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func fingerprintOf(t *testing.T, certFile, keyFile string) string {
	t.Helper()
	c, err := ServerConfig(certFile, keyFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ServerFingerprint(c)
}

// Issue #12 finding 13: the orchestrator's certificate was new at each
// start, so gateways' fingerprint pins broke on every restart. A
// certificate kept in the data directory keeps its fingerprint.
func TestCertificatePersistsAcrossRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	now := time.Now()
	cert, key, err := Persistent(dir, []string{"127.0.0.1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	first := fingerprintOf(t, cert, key)
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, %v; want mode 0600", st, err)
	}
	// A restart finds the same certificate.
	cert, key, err = Persistent(dir, []string{"127.0.0.1"}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if again := fingerprintOf(t, cert, key); again != first {
		t.Fatalf("fingerprint changed across a restart: %s, then %s", first, again)
	}
	// Near its expiry it is renewed.
	cert, key, err = Persistent(dir, []string{"127.0.0.1"}, now.Add(340*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if renewed := fingerprintOf(t, cert, key); renewed == first {
		t.Error("a certificate 25 days from expiry was kept")
	}
	// A damaged pair is replaced, not fatal.
	if err := os.WriteFile(key, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cert, key, err = Persistent(dir, nil, now); err != nil {
		t.Fatal(err)
	}
	_ = fingerprintOf(t, cert, key)
}
