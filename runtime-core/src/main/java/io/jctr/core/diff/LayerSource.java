package io.jctr.core.diff;

import io.jctr.spi.JctrException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's layer stream, marked so read failures can be told apart: an I/O error of the
 * stream itself (the content store, the network) stays an {@link IOException}; any other failure
 * while decompressing or parsing means the layer is bad and becomes INVALID_ARGUMENT, reported as
 * {@code unexpected end of layer} when the stream had already ended. Closing it does not close the
 * caller's stream, which the caller owns.
 */
final class LayerSource extends FilterInputStream {

    /** An I/O error of the caller's stream, carried unchanged through decompressors and the tar parser. */
    private static final class StreamFailure extends IOException {
        private static final long serialVersionUID = 1L;

        StreamFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Volatile: a {@link ReadAheadInputStream} reads this stream on another thread. */
    private volatile boolean ended;

    LayerSource(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return noteEnd(super.read());
        } catch (IOException e) {
            throw new StreamFailure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return noteEnd(super.read(b, off, len));
        } catch (IOException e) {
            throw new StreamFailure(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw new StreamFailure(e);
        }
    }

    @Override
    public void close() {
        // the caller owns the stream
    }

    /**
     * What to throw for {@code failure} raised while reading the layer: the caller's own I/O error
     * is returned for rethrowing; a malformed layer is thrown as INVALID_ARGUMENT.
     */
    IOException translate(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StreamFailure f) {
                return (IOException) f.getCause();
            }
        }
        String problem = ended ? "unexpected end of layer" : "malformed layer";
        String detail = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        throw new JctrException(JctrException.Kind.INVALID_ARGUMENT, problem + ": " + detail, failure);
    }

    private int noteEnd(int n) {
        if (n < 0) {
            ended = true;
        }
        return n;
    }
}
