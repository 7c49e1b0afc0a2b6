package io.jctr.sample;

/** The sample plugin's configuration section: {@code jctr.plugins."io.jctr.sample.v1.greeter"}. */
public interface GreeterConfig {

    default String greeting() {
        return "hello";
    }

    default int repeat() {
        return 1;
    }
}
