package image

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
)

// Host is the static jac binary the image runs.
type Host struct {
	Binary []byte
	Arch   string // GOARCH it was built for, the image's architecture
}

// archs maps ELF machines to GOARCH names.
var archs = map[elf.Machine]string{
	elf.EM_X86_64:  "amd64",
	elf.EM_AARCH64: "arm64",
	elf.EM_386:     "386",
	elf.EM_ARM:     "arm",
	elf.EM_PPC64:   "ppc64le",
	elf.EM_S390:    "s390x",
	elf.EM_RISCV:   "riscv64",
}

// ReadHost reads the binary at path and checks that it can run alone in an
// empty image: a Linux executable with no dynamic loader.
func ReadHost(path string) (Host, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Host{}, fmt.Errorf("%w: %v", ErrHost, err)
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return Host{}, fmt.Errorf("%w: %s is not a Linux executable; build jac with GOOS=linux CGO_ENABLED=0 and set JAC_HOST_BINARY to it", ErrHost, path)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return Host{}, fmt.Errorf("%w: %s is dynamically linked; rebuild it with CGO_ENABLED=0 (make build does) or set JAC_HOST_BINARY to a static jac", ErrHost, path)
		}
	}
	arch, ok := archs[f.Machine]
	if !ok || f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return Host{}, fmt.Errorf("%w: %s is not an executable for a known architecture (%v)", ErrHost, path, f.Machine)
	}
	return Host{Binary: b, Arch: arch}, nil
}
