package tlscert

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPinning(t *testing.T) {
	srv, err := ServerConfig("", "", []string{"127.0.0.1", "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.(*tls.Conn).HandshakeContext(t.Context())
			c.Close()
		}
	}()
	other, err := SelfSigned(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pin  string
		want error
	}{
		{"no pin", "", nil},
		{"right pin", ServerFingerprint(srv), nil},
		{"right pin with colons, upper case", colons(ServerFingerprint(srv)), nil},
		{"wrong pin", Fingerprint(other.Certificate[0]), ErrFingerprintMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: ClientConfig(tt.pin)}
			c, err := d.DialContext(t.Context(), "tcp", ln.Addr().String())
			if c != nil {
				c.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func colons(hexs string) string {
	out := ""
	for i := 0; i < len(hexs); i += 2 {
		if i > 0 {
			out += ":"
		}
		out += string(hexs[i]-32*btoi(hexs[i] >= 'a')) + string(hexs[i+1]-32*btoi(hexs[i+1] >= 'a'))
	}
	return out
}

func btoi(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func TestServerConfigNeedsBothFiles(t *testing.T) {
	if _, err := ServerConfig("a.pem", "", nil); err == nil {
		t.Fatal("accepted a cert without a key")
	}
}

func TestServerConfigFromFiles(t *testing.T) {
	cert, err := SelfSigned([]string{"localhost"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ServerConfig(certFile, keyFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ServerFingerprint(c) != Fingerprint(cert.Certificate[0]) {
		t.Fatal("loaded a different certificate")
	}
	if _, err := ServerConfig(keyFile, certFile, nil); err == nil {
		t.Fatal("swapped files accepted")
	}
}
