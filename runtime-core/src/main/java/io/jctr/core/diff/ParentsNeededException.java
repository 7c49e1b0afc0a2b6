package io.jctr.core.diff;

import java.io.IOException;

/**
 * A layer applied without its parents ({@link ApplyOptions#withoutParents()}) turned out to need
 * them: it hard-links a node only a parent holds, or builds on a directory that a parent has as
 * something else (a symlink, a file). Nothing is wrong with the layer; the caller discards what was
 * applied and applies it again on a view of its parents.
 */
public final class ParentsNeededException extends IOException {

    private static final long serialVersionUID = 1L;

    public ParentsNeededException(String message) {
        super(message);
    }
}
