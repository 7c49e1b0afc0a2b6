// Package suite runs containerd 1.6's own contract suites (content/testsuite, snapshots/testsuite)
// and the start-up of its Go client against a daemon that speaks containerd's API, through
// containerd's unmodified Go client library (its gRPC content and snapshot proxies). The daemon is
// named by CONTAINERD_SUITE_ADDRESS; SNAPSHOTTER names the snapshotter the snapshot suite uses.
//
// ContainerdClientSuiteTest.java builds this from Debian's golang-github-containerd-containerd-dev
// (GO111MODULE=off, GOPATH=<tmp>:/usr/share/gocode) and runs it against containerd itself first,
// which proves the harness, then against jctrd.
package suite

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/containerd/containerd"
	"github.com/containerd/containerd/content"
	contentsuite "github.com/containerd/containerd/content/testsuite"
	"github.com/containerd/containerd/defaults"
	"github.com/containerd/containerd/errdefs"
	"github.com/containerd/containerd/namespaces"
	"github.com/containerd/containerd/snapshots"
	snapshotsuite "github.com/containerd/containerd/snapshots/testsuite"
)

// The snapshot suite names its snapshots with math/rand, which go 1.19 does not seed: seeded,
// a second run against the same daemon does not collide with the snapshots of the first.
func init() {
	rand.Seed(time.Now().UnixNano())
}

func address(t *testing.T) string {
	a := os.Getenv("CONTAINERD_SUITE_ADDRESS")
	if a == "" {
		t.Fatal("CONTAINERD_SUITE_ADDRESS is not set")
	}
	return a
}

// TestClientStartUp is what a new user's program does first: a client whose default namespace
// does not exist yet (New reads that namespace's labels), then a default snapshotter chosen for
// the namespace by a label, which creates it.
func TestClientStartUp(t *testing.T) {
	ns := fmt.Sprintf("startup-%d", time.Now().UnixNano())
	client, err := containerd.New(address(t), containerd.WithDefaultNamespace(ns))
	if err != nil {
		t.Fatalf("client with a fresh default namespace: %+v", err)
	}
	defer client.Close()
	ctx := namespaces.WithNamespace(context.Background(), ns)
	store := client.NamespaceService()
	if err := store.SetLabel(ctx, ns, defaults.DefaultSnapshotterNSLabel, "native"); err != nil {
		t.Fatalf("label a namespace that does not exist yet: %+v", err)
	}
	defer store.Delete(ctx, ns)
	labels, err := store.Labels(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if labels[defaults.DefaultSnapshotterNSLabel] != "native" {
		t.Fatalf("labels of %s: %v", ns, labels)
	}
	all, err := store.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range all {
		found = found || n == ns
	}
	if !found {
		t.Fatalf("namespace %s created by its label is not listed: %v", ns, all)
	}
}

// TestContentSuite wires the suite the way containerd's own client test does: each test context
// gets a namespace of its own and a lease; the clean-up removes what the test left.
func TestContentSuite(t *testing.T) {
	contentsuite.ContentSuite(t, "ContentClient", contentStore(t))
}

// TestContentCrossNamespaceSuite: a blob one namespace holds, written in another (containerd's
// default "shared" content policy), through the client.
func TestContentCrossNamespaceSuite(t *testing.T) {
	contentsuite.ContentCrossNSSharedSuite(t, "ContentCrossNS", contentStore(t))
}

func contentStore(t *testing.T) contentsuite.StoreInitFn {
	return func(ctx context.Context, root string) (context.Context, content.Store, func() error, error) {
		client, err := containerd.New(address(t))
		if err != nil {
			return nil, nil, nil, err
		}
		var count uint64
		name := contentsuite.Name(ctx)
		cs := client.ContentStore()
		wrap := func(ctx context.Context) (context.Context, func(context.Context) error, error) {
			n := atomic.AddUint64(&count, 1)
			return client.WithLease(namespaces.WithNamespace(ctx, fmt.Sprintf("%s-n%d", name, n)))
		}
		cleanup := func() error {
			defer client.Close()
			for i := uint64(1); i <= atomic.LoadUint64(&count); i++ {
				nctx := namespaces.WithNamespace(context.Background(), fmt.Sprintf("%s-n%d", name, i))
				statuses, err := cs.ListStatuses(nctx)
				if err != nil {
					return err
				}
				for _, st := range statuses {
					if err := cs.Abort(nctx, st.Ref); err != nil && !errdefs.IsNotFound(err) {
						return fmt.Errorf("abort %s: %w", st.Ref, err)
					}
				}
				var blobs []content.Info
				if err := cs.Walk(nctx, func(info content.Info) error {
					blobs = append(blobs, info)
					return nil
				}); err != nil {
					return err
				}
				// the test's lease is gone by now: the collector may remove a blob first
				for _, info := range blobs {
					if err := cs.Delete(nctx, info.Digest); err != nil && !errdefs.IsNotFound(err) {
						return fmt.Errorf("delete %s: %w", info.Digest, err)
					}
				}
			}
			return nil
		}
		return contentsuite.SetContextWrapper(ctx, wrap), cs, cleanup, nil
	}
}

// TestSnapshotterSuite runs the snapshot suite on the snapshotter SNAPSHOTTER names, as
// containerd's own client test does with its default snapshotter.
func TestSnapshotterSuite(t *testing.T) {
	name := os.Getenv("SNAPSHOTTER")
	if name == "" {
		t.Fatal("SNAPSHOTTER is not set")
	}
	snapshotsuite.SnapshotterSuite(t, "SnapshotterClient-"+name, func(ctx context.Context, root string) (snapshots.Snapshotter, func() error, error) {
		client, err := containerd.New(address(t))
		if err != nil {
			return nil, nil, err
		}
		return client.SnapshotService(name), client.Close, nil
	})
}
