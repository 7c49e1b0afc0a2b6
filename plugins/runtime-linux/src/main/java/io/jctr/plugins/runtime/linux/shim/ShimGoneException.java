package io.jctr.plugins.runtime.linux.shim;

import java.io.IOException;

/** The task's shim is gone (killed): the exits it did not record are lost. */
public final class ShimGoneException extends IOException {

    ShimGoneException(String message) {
        super(message);
    }
}
