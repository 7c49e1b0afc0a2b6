// Generates the data jctr's run service starts every spec from, out of containerd 1.6's own
// code (Debian's golang-github-containerd-containerd-dev), so that jctr's defaults are
// containerd's by construction rather than by transcription:
//
//   default-spec.json     oci.GenerateSpec with WithDefaultSpec and WithDefaultUnixDevices (what
//                         `ctr run` starts from), namespace "NS" and id "ID" as placeholders
//   seccomp-default.json  contrib/seccomp.DefaultProfile split by what it depends on: "base" (the
//                         rules for a spec without capabilities), "ifCapability" (rules a bounding
//                         capability adds) and "unlessCapability" (rules a bounding capability
//                         removes: clone with a namespace mask and clone3 answering ENOSYS, without
//                         CAP_SYS_ADMIN). Generated on amd64; the kernel-version rule (ptrace,
//                         kernel >= 4.8) is in "base" as on any kernel jctr supports.
//
// Run from the repository root:
//   GO111MODULE=off GOPATH=/tmp/gopath:/usr/share/gocode go run runtime-core/src/build/run-defaults/main.go \
//       runtime-core/src/main/resources/io/jctr/core/run
package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"

	"github.com/containerd/containerd/containers"
	"github.com/containerd/containerd/contrib/seccomp"
	"github.com/containerd/containerd/namespaces"
	"github.com/containerd/containerd/oci"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

var capabilities = []string{
	"CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE", "CAP_BLOCK_SUSPEND", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_KILL", "CAP_LEASE", "CAP_LINUX_IMMUTABLE", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_MKNOD", "CAP_NET_ADMIN",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_PERFMON", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
	"CAP_SETUID", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT", "CAP_SYS_MODULE", "CAP_SYS_NICE", "CAP_SYS_PACCT",
	"CAP_SYS_PTRACE", "CAP_SYS_RAWIO", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_SYSLOG",
	"CAP_WAKE_ALARM",
}

func profile(caps ...string) *specs.LinuxSeccomp {
	return seccomp.DefaultProfile(&specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: caps}}})
}

// minus returns the rules of a that are not in b.
func minus(a, b []specs.LinuxSyscall) []specs.LinuxSyscall {
	var out []specs.LinuxSyscall
	for _, x := range a {
		found := false
		for _, y := range b {
			if reflect.DeepEqual(x, y) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

func write(dir, name string, v interface{}) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), append(b, '\n'), 0o644); err != nil {
		panic(err)
	}
}

func main() {
	dir := os.Args[1]
	ctx := namespaces.WithNamespace(context.Background(), "NS")
	s, err := oci.GenerateSpec(ctx, nil, &containers.Container{ID: "ID"}, oci.WithDefaultSpec(), oci.WithDefaultUnixDevices)
	if err != nil {
		panic(err)
	}
	write(dir, "default-spec.json", s)

	none := profile()
	ifCap := map[string][]specs.LinuxSyscall{}
	unlessCap := map[string][]specs.LinuxSyscall{}
	base := none.Syscalls
	for _, c := range capabilities {
		with := profile(c)
		if added := minus(with.Syscalls, none.Syscalls); len(added) > 0 {
			ifCap[c] = added
		}
		if removed := minus(none.Syscalls, with.Syscalls); len(removed) > 0 {
			unlessCap[c] = removed
			base = minus(base, removed)
		}
	}
	write(dir, "seccomp-default.json", map[string]interface{}{
		"defaultAction":    none.DefaultAction,
		"architectures":    none.Architectures,
		"base":             base,
		"ifCapability":     ifCap,
		"unlessCapability": unlessCap,
	})
}
