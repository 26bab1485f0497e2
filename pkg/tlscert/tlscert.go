// Package tlscert provides the TLS every castmesh gRPC port speaks: a server
// certificate loaded from files or, by default, a fresh self-signed ECDSA
// P-256 one; and client configs that either pin the server's certificate by
// its SHA-256 fingerprint or accept any certificate.
//
// Accepting any certificate is the default because, as in Livepeer, a node's
// identity is its Ethereum key, proven by signatures, not by a CA; the
// channel is still encrypted. Operators who want more pin the fingerprint
// each orchestrator prints at start.
package tlscert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// ErrFingerprintMismatch means the server's certificate is not the pinned one.
var ErrFingerprintMismatch = errors.New("tls: server certificate does not match the pinned fingerprint")

// ServerConfig returns a server TLS config from certFile/keyFile, or with a
// self-signed certificate for hosts when both are empty.
func ServerConfig(certFile, keyFile string, hosts []string) (*tls.Config, error) {
	var cert tls.Certificate
	var err error
	switch {
	case certFile != "" && keyFile != "":
		cert, err = tls.LoadX509KeyPair(certFile, keyFile)
	case certFile == "" && keyFile == "":
		cert, err = SelfSigned(hosts, time.Now())
	default:
		return nil, errors.New("tls: cert_file and key_file must be set together")
	}
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13}, nil
}

// SelfSigned makes an ECDSA P-256 certificate valid for a year from now.
func SelfSigned(hosts []string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "castmesh"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// Fingerprint is the lowercase hex SHA-256 of a certificate's DER bytes.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ServerFingerprint returns the fingerprint of a server config's certificate.
func ServerFingerprint(c *tls.Config) string {
	if len(c.Certificates) == 0 || len(c.Certificates[0].Certificate) == 0 {
		return ""
	}
	return Fingerprint(c.Certificates[0].Certificate[0])
}

// ClientConfig returns a client TLS config. With a fingerprint (hex, colons
// allowed) the server's leaf certificate must match it; without one any
// certificate is accepted.
func ClientConfig(fingerprint string) *tls.Config {
	want := strings.ToLower(strings.ReplaceAll(fingerprint, ":", ""))
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		// Chain verification is replaced by the pin check below (or by
		// nothing, see the package doc).
		InsecureSkipVerify: true, //nolint:gosec // identity is pinned or proven by signatures
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if want == "" {
				return nil
			}
			if len(raw) == 0 || Fingerprint(raw[0]) != want {
				return ErrFingerprintMismatch
			}
			return nil
		},
	}
}
