package io.jctr.core.diff;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * SHA-256 of a stream, through OpenSSL's libcrypto when it loads, the JDK's otherwise. The daemon
 * runs with C1 only ({@code -XX:TieredStopAtLevel=1}), where the JDK's SHA-256 is plain Java at
 * about 150 MB/s: the diff id alone cost 1.7 s of the 263 MB Debian image. libcrypto uses the
 * CPU's SHA instructions, about ten times that. Not thread-safe; one per stream.
 */
abstract class Sha256 {

    private static final int CHUNK = 64 * 1024;

    /** A new digest, native when libcrypto is usable. */
    static Sha256 create() {
        return Native.LIB != null ? new Native() : new Jdk();
    }

    abstract void update(byte[] b, int off, int len);

    /** The digest of everything updated so far; the object is spent afterwards. */
    abstract byte[] digest();

    /** The libcrypto calls used; public only because jnr-ffi implements it from another class loader. */
    public interface Crypto {
        int SHA256_Init(Pointer ctx);

        int SHA256_Update(Pointer ctx, Pointer data, @size_t long len);

        int SHA256_Final(@Out byte[] md, Pointer ctx);
    }

    private static final class Jdk extends Sha256 {
        private final MessageDigest md;

        Jdk() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        byte[] digest() {
            return md.digest();
        }
    }

    static final class Native extends Sha256 {
        /** libcrypto, or null when it does not load or does not hash "abc" right. */
        static final Crypto LIB = load();
        /** SHA256_CTX is 112 bytes; room to spare. */
        private static final int CTX_SIZE = 256;

        private final Pointer ctx;
        private final Pointer data;

        Native() {
            jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(LIB);
            ctx = Memory.allocateDirect(runtime, CTX_SIZE, true);
            data = Memory.allocateDirect(runtime, CHUNK);
            check(LIB.SHA256_Init(ctx), "SHA256_Init");
        }

        @Override
        void update(byte[] b, int off, int len) {
            for (int done = 0; done < len; ) {
                int n = Math.min(CHUNK, len - done);
                data.put(0, b, off + done, n);
                check(LIB.SHA256_Update(ctx, data, n), "SHA256_Update");
                done += n;
            }
        }

        @Override
        byte[] digest() {
            byte[] md = new byte[32];
            check(LIB.SHA256_Final(md, ctx), "SHA256_Final");
            return md;
        }

        private static void check(int rc, String call) {
            if (rc != 1) {
                throw new IllegalStateException(call + " failed");
            }
        }

        private static Crypto load() {
            try {
                Crypto lib = LibraryLoader.create(Crypto.class).failImmediately().load("crypto");
                byte[] abc = {'a', 'b', 'c'};
                Jdk expected = new Jdk();
                expected.update(abc, 0, abc.length);
                jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(lib);
                Pointer ctx = Memory.allocateDirect(runtime, CTX_SIZE, true);
                Pointer data = Memory.allocateDirect(runtime, abc.length);
                data.put(0, abc, 0, abc.length);
                byte[] md = new byte[32];
                boolean ok = lib.SHA256_Init(ctx) == 1 && lib.SHA256_Update(ctx, data, abc.length) == 1 && lib.SHA256_Final(md, ctx) == 1;
                return ok && Arrays.equals(md, expected.digest()) ? lib : null;
            } catch (LinkageError | RuntimeException e) {
                return null;
            }
        }
    }
}
