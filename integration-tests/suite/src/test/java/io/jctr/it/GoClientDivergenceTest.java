package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.content.v1.ContentGrpc;
import io.jctr.api.services.content.v1.InfoRequest;
import io.jctr.api.services.content.v1.StatusRequest;
import io.jctr.api.services.content.v1.WriteAction;
import io.jctr.api.services.content.v1.WriteContentRequest;
import io.jctr.api.services.content.v1.WriteContentResponse;
import io.jctr.api.services.leases.v1.CreateRequest;
import io.jctr.api.services.leases.v1.LeasesGrpc;
import io.jctr.api.services.leases.v1.ListResourcesRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.ListNamespacesRequest;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.api.services.namespaces.v1.UpdateNamespaceRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The divergences containerd 1.6's Go client hit against jctrd (issue 9), each pinned at the wire
 * with the answer containerd gives: a label creates a missing namespace and a missing namespace
 * reads as unlabelled; committing a digest the namespace holds is ALREADY_EXISTS; a write stream
 * closed without a commit frees its ref for the next stream at once. ContainerdClientSuiteTest
 * proves the same with the Go client and containerd's own suites.
 */
@Tag("root")
class GoClientDivergenceTest {

    private static JctrDaemon daemon;
    private static ApiChannel api;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        api = ApiChannel.open(daemon);
        channel = api.channel;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        daemon.close();
    }

    // ---- namespaces ----

    /** The Go client's start-up reads its namespace's labels before anything created it. */
    @Test
    void aMissingNamespaceReadsAsOneWithoutLabels() {
        Namespace ns = namespaces().get(GetNamespaceRequest.newBuilder().setName("never-made").build()).getNamespace();
        assertEquals("never-made", ns.getName());
        assertEquals(Map.of(), ns.getLabelsMap());
        assertTrue(listed().stream().noneMatch("never-made"::equals), "a read created the namespace");
    }

    /** containerd's SetLabel creates the namespace's bucket: labelling a missing namespace creates it. */
    @Test
    void labellingAMissingNamespaceCreatesIt() {
        String label = "containerd.io/defaults/snapshotter";
        namespaces().update(UpdateNamespaceRequest.newBuilder()
                .setNamespace(Namespace.newBuilder().setName("labelled-first").putLabels(label, "native"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels." + label)).build());
        assertTrue(listed().contains("labelled-first"));
        assertEquals(Map.of(label, "native"),
                namespaces().get(GetNamespaceRequest.newBuilder().setName("labelled-first").build()).getNamespace().getLabelsMap());
    }

    // ---- content ----

    @Test
    void committingADigestTheNamespaceHoldsIsAlreadyExists() throws Exception {
        Channel ns = in("held", "");
        byte[] blob = bytes("held blob");
        String digest = OciArchive.sha256(blob);
        WriteSession first = WriteSession.open(ns, "first", 0, "");
        first.write(0, blob);
        first.commit(blob.length, digest, Map.of("owner", "first"));
        first.close();

        for (String expected : new String[] {digest, ""}) {
            String ref = "again-" + expected.length();
            WriteSession again = WriteSession.open(ns, ref, 0, "");
            again.write(0, blob);
            assertEquals(Status.Code.ALREADY_EXISTS, again.commitFails(blob.length, expected, Map.of("owner", "again")), ref);
            assertEquals(Status.Code.NOT_FOUND, statusCode(ns, ref), ref + ": the ingest must be gone");
        }
        assertEquals(Map.of("owner", "first"), content(ns).info(InfoRequest.newBuilder().setDigest(digest).build())
                .getInfo().getLabelsMap());
    }

    /** containerd adds the blob to the call's lease even when the commit answers ALREADY_EXISTS. */
    @Test
    void anAlreadyExistingCommitStillLeasesTheBlob() throws Exception {
        byte[] blob = bytes("leased twice");
        String digest = OciArchive.sha256(blob);
        WriteSession first = WriteSession.open(in("leasing", ""), "first", 0, "");
        first.write(0, blob);
        first.commit(blob.length, digest, Map.of());
        first.close();
        LeasesGrpc.newBlockingStub(in("leasing", "")).create(CreateRequest.newBuilder().setId("second").build());

        WriteSession again = WriteSession.open(in("leasing", "second"), "again", 0, "");
        again.write(0, blob);
        assertEquals(Status.Code.ALREADY_EXISTS, again.commitFails(blob.length, "", Map.of()));
        assertTrue(LeasesGrpc.newBlockingStub(in("leasing", "")).listResources(ListResourcesRequest.newBuilder().setId("second").build())
                .getResourcesList().stream().anyMatch(r -> r.getType().equals("content") && r.getId().equals(digest)));
    }

    /** containerd's content service checks an expected digest before committing: held, the ingest ends. */
    @Test
    void aCommitExpectingAHeldDigestEndsTheIngestWhateverItHolds() throws Exception {
        Channel ns = in("expecting", "");
        byte[] blob = bytes("expected blob");
        String digest = OciArchive.sha256(blob);
        WriteSession first = WriteSession.open(ns, "first", 0, "");
        first.write(0, blob);
        first.commit(blob.length, digest, Map.of());
        first.close();

        WriteSession other = WriteSession.open(ns, "other", 0, "");
        other.write(0, bytes("something else"));
        assertEquals(Status.Code.ALREADY_EXISTS, other.commitFails(0, digest, Map.of()));
        assertEquals(Status.Code.NOT_FOUND, statusCode(ns, "other"));
    }

    /** Unchanged by the above: a blob only another namespace holds commits, and the namespace sees it. */
    @Test
    void aBlobOnlyAnotherNamespaceHoldsCommits() throws Exception {
        byte[] blob = bytes("shared blob");
        String digest = OciArchive.sha256(blob);
        WriteSession first = WriteSession.open(in("sharing-1", ""), "first", 0, "");
        first.write(0, blob);
        first.commit(blob.length, digest, Map.of());
        first.close();

        WriteSession second = WriteSession.open(in("sharing-2", ""), "second", 0, "");
        second.write(0, blob);
        assertEquals(digest, second.commit(blob.length, "", Map.of()).getDigest());
        second.close();
        assertEquals(blob.length, content(in("sharing-2", "")).info(InfoRequest.newBuilder().setDigest(digest).build()).getInfo().getSize());
    }

    /**
     * containerd's shared content policy: a writer that expects a blob only another namespace
     * holds stands at its end; committing it records the blob for this namespace, with the
     * commit's labels; appending to it first copies it (containerd's CrossNamespaceAppend).
     */
    @Test
    void aWriterExpectingABlobAnotherNamespaceHoldsSharesIt() throws Exception {
        byte[] blob = bytes("shared by a writer");
        String digest = OciArchive.sha256(blob);
        WriteSession first = WriteSession.open(in("owner", ""), "first", 0, "");
        first.write(0, blob);
        first.commit(blob.length, digest, Map.of());
        first.close();

        WriteSession shared = WriteSession.open(in("sharer", ""), "share", blob.length, digest);
        assertEquals(blob.length, shared.offset);
        assertEquals(digest, shared.commit(blob.length, digest, Map.of("mine", "yes")).getDigest());
        shared.close();
        assertEquals(Map.of("mine", "yes"), content(in("sharer", "")).info(InfoRequest.newBuilder().setDigest(digest).build())
                .getInfo().getLabelsMap());

        WriteSession append = WriteSession.open(in("appender", ""), "append", blob.length, digest);
        assertEquals(blob.length, append.offset);
        byte[] extra = bytes("appended");
        append.write(blob.length, extra);
        byte[] whole = Arrays.copyOf(blob, blob.length + extra.length);
        System.arraycopy(extra, 0, whole, blob.length, extra.length);
        assertEquals(OciArchive.sha256(whole), append.commit(whole.length, OciArchive.sha256(whole), Map.of()).getDigest());
        append.close();
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> content(in("appender", "")).info(InfoRequest.newBuilder().setDigest(digest).build())),
                "appending must not give the namespace the shared blob itself");
    }

    /**
     * The Go client's writer closes its stream by a half-close and opens the next one at once:
     * the daemon sees the first stream end a moment later. The next writer of the ref must get
     * the ingest, at its offset, every time (containerd's local store waits for the lock).
     */
    @Test
    void aStreamClosedWithoutCommitFreesItsRefForTheNextStreamAtOnce() throws Exception {
        Channel ns = in("resuming", "");
        byte[] blob = new byte[30 * 1000];
        new Random(9).nextBytes(blob);
        int chunk = 1000;
        for (int offset = 0; offset < blob.length; offset += chunk) {
            WriteSession w = WriteSession.open(ns, "interrupted", blob.length, "");
            assertEquals(offset, w.offset, "resumed offset");
            w.write(offset, Arrays.copyOfRange(blob, offset, offset + chunk));
            w.close();
        }
        WriteSession last = WriteSession.open(ns, "interrupted", blob.length, "");
        assertEquals(blob.length, last.offset);
        assertEquals(OciArchive.sha256(blob), last.commit(blob.length, OciArchive.sha256(blob), Map.of()).getDigest());
        last.close();
    }

    // ---- helpers ----

    /**
     * One Content.Write stream driven as containerd's Go client drives it: a STAT names the ref
     * and answers the offset; each WRITE and the COMMIT wait for their answer; close is a
     * half-close that does not wait for the daemon.
     */
    private static final class WriteSession {
        private final StreamObserver<WriteContentRequest> requests;
        private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        final long offset;

        private WriteSession(Channel ch, String ref, long total, String expected) throws Exception {
            requests = ContentGrpc.newStub(ch).write(new StreamObserver<>() {
                @Override
                public void onNext(WriteContentResponse r) {
                    answers.add(r);
                }

                @Override
                public void onError(Throwable t) {
                    answers.add(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.STAT).setRef(ref).setTotal(total)
                    .setExpected(expected).build());
            offset = answer().getOffset();
        }

        static WriteSession open(Channel ch, String ref, long total, String expected) throws Exception {
            return new WriteSession(ch, ref, total, expected);
        }

        void write(long at, byte[] data) throws Exception {
            requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setOffset(at)
                    .setData(ByteString.copyFrom(data)).build());
            answer();
        }

        WriteContentResponse commit(long size, String expected, Map<String, String> labels) throws Exception {
            sendCommit(size, expected, labels);
            return answer();
        }

        Status.Code commitFails(long size, String expected, Map<String, String> labels) throws Exception {
            sendCommit(size, expected, labels);
            Object a = answers.poll(20, TimeUnit.SECONDS);
            assertTrue(a instanceof StatusRuntimeException, "commit answered " + a);
            return ((StatusRuntimeException) a).getStatus().getCode();
        }

        void close() {
            requests.onCompleted();
        }

        private void sendCommit(long size, String expected, Map<String, String> labels) {
            requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.COMMIT).setTotal(size).setExpected(expected)
                    .putAllLabels(labels).build());
        }

        private WriteContentResponse answer() throws Exception {
            Object a = answers.poll(20, TimeUnit.SECONDS);
            if (a instanceof Throwable t) {
                throw new AssertionError("write stream failed: " + t, t);
            }
            if (a == null) {
                throw new AssertionError("no answer within 20 s");
            }
            return (WriteContentResponse) a;
        }
    }

    private static Channel in(String namespace, String lease) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), namespace);
        if (!lease.isEmpty()) {
            h.put(Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER), lease);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(h));
    }

    private static ContentGrpc.ContentBlockingStub content(Channel ch) {
        return ContentGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Status.Code statusCode(Channel ch, String ref) {
        return codeOf(() -> content(ch).status(StatusRequest.newBuilder().setRef(ref).build()));
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static NamespacesGrpc.NamespacesBlockingStub namespaces() {
        return NamespacesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static List<String> listed() {
        return namespaces().list(ListNamespacesRequest.getDefaultInstance()).getNamespacesList().stream().map(Namespace::getName).toList();
    }

    private static byte[] bytes(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
