package io.jctr.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the package: specs are built as Jackson trees and written as JSON bytes. */
final class SpecJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecJson() {
    }
}
