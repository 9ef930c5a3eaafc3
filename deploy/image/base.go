package image

import (
	"fmt"
	"io/fs"
	"os"
	"strconv"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// caBundles are where Linux distributions keep the CA certificate bundle,
// in the order Go's crypto/x509 looks for them.
var caBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// CABundle is the image's CA certificate bundle, where Go finds it.
const CABundle = "/etc/ssl/certs/ca-certificates.crt"

// baseLayer is what a static Go binary needs around it, built here since
// no base image can be pulled: users (the host runs as UID), CA
// certificates (for SSO and remote databases over TLS), a sticky /tmp and
// the data directory.
func baseLayer() (v1.Layer, error) {
	ca, err := caBundle()
	if err != nil {
		return nil, err
	}
	u := strconv.Itoa(UID)
	dir := fs.ModeDir | 0o755
	return layer(
		file{name: "/etc", mode: dir},
		file{name: "/etc/passwd", mode: 0o644, data: []byte("root:x:0:0:root:/root:/sbin/nologin\njac:x:" + u + ":" + u + ":walker host:/home/jac:/sbin/nologin\n")},
		file{name: "/etc/group", mode: 0o644, data: []byte("root:x:0:\njac:x:" + u + ":\n")},
		file{name: "/etc/nsswitch.conf", mode: 0o644, data: []byte("hosts: files dns\n")},
		file{name: "/etc/ssl", mode: dir},
		file{name: "/etc/ssl/certs", mode: dir},
		file{name: CABundle, mode: 0o644, data: ca},
		file{name: "/home", mode: dir},
		file{name: "/home/jac", mode: dir, uid: UID},
		file{name: "/tmp", mode: dir | fs.ModeSticky | 0o777},
		file{name: DataDir, mode: dir, uid: UID},
		file{name: AppDir, mode: dir},
	)
}

// caBundle reads this machine's CA certificate bundle.
func caBundle() ([]byte, error) {
	for _, p := range caBundles {
		if b, err := os.ReadFile(p); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%w: no CA certificate bundle on this machine (looked in %v); install ca-certificates", ErrBase, caBundles)
}
