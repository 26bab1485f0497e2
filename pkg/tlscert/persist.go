package tlscert

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/castmesh/castmesh/pkg/atomicfile"
)

// Names of the persisted self-signed certificate in a data directory.
const (
	CertFileName = "tls.crt"
	KeyFileName  = "tls.key"
)

// renewBefore is how long before its expiry a persisted certificate is
// replaced at start.
const renewBefore = 30 * 24 * time.Hour

// Persistent returns the paths of a self-signed certificate kept in dir,
// making it (for hosts, valid a year) when there is none, it does not
// load, or it expires within 30 days. A node that keeps its certificate
// keeps its fingerprint across restarts, so gateways' pins hold. The key
// is written 0600, each file atomically (pkg/atomicfile).
func Persistent(dir string, hosts []string, now time.Time) (certFile, keyFile string, err error) {
	certFile, keyFile = filepath.Join(dir, CertFileName), filepath.Join(dir, KeyFileName)
	// A pair that is missing, unreadable or mismatched is replaced, as is
	// one about to expire.
	if cert, err := tls.LoadX509KeyPair(certFile, keyFile); err == nil && len(cert.Certificate) > 0 {
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		if err == nil && now.Add(renewBefore).Before(leaf.NotAfter) {
			return certFile, keyFile, nil
		}
	}
	cert, err := SelfSigned(hosts, now)
	if err != nil {
		return "", "", fmt.Errorf("tls: %w", err)
	}
	key, ok := cert.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		return "", "", errors.New("tls: self-signed key is not ECDSA")
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", fmt.Errorf("tls: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("tls: data_dir: %w", err)
	}
	if err := atomicfile.Write(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return "", "", fmt.Errorf("tls: %w", err)
	}
	if err := atomicfile.Write(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o644); err != nil {
		return "", "", fmt.Errorf("tls: %w", err)
	}
	return certFile, keyFile, nil
}
