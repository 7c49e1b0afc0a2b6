package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads config.json into a {@link RuntimeSpec}. Parsing happens in three stages, each reporting
 * the first problem as a {@link SpecException}:
 *
 * <ol>
 *   <li>syntax: malformed JSON, a duplicate key or trailing data is reported with its line and
 *       column ({@code malformed json at line 3, column 7: ...});
 *   <li>types: a value of the wrong JSON type, a {@code null} inside a list or map, or a number
 *       out of range is reported at its JSON path
 *       ({@code process.args: expected an array, got a string}); no coercion happens — not
 *       {@code "1"} to 1, not 1 to {@code "1"}, not 1.5 to 1;
 *   <li>semantics ({@link #parse} only): {@link SpecValidator} checks everything the
 *       specification and this runtime require.
 * </ol>
 *
 * <p>Unknown fields are ignored (the specification requires it for extensibility) and kept in
 * {@link RuntimeSpec#raw()}. Stateless and thread-safe.
 */
public final class SpecParser {

    /** The injection key under which the raw bytes reach {@link RuntimeSpec#raw()}. */
    static final String RAW_JSON = "io.jctr.runtime.linux.rawJson";

    private static final JsonMapper MAPPER = newMapper();

    private SpecParser() {
    }

    /**
     * Parses and validates {@code json}.
     *
     * @throws SpecException {@code INVALID_ARGUMENT} when the JSON is malformed, mistyped or
     *                       invalid; all validation problems are in
     *                       {@link SpecException#problems()}
     */
    public static RuntimeSpec parse(byte[] json) {
        RuntimeSpec spec = read(json);
        SpecValidator.check(spec);
        return spec;
    }

    /**
     * Reads, parses and validates the file {@code configJson}.
     *
     * @throws SpecException as {@link #parse(byte[])}
     * @throws JctrException {@code NOT_FOUND} when the file does not exist
     * @throws IOException   when it cannot be read
     */
    public static RuntimeSpec parse(Path configJson) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configJson);
        } catch (NoSuchFileException e) {
            throw JctrException.notFound("config.json %s", JsonPath.quote(configJson.toString()));
        }
        return parse(bytes);
    }

    /**
     * Parses {@code json} without the semantic checks: for tools that show or rewrite a spec,
     * and for specs that are completed later (containerd's default spec has no
     * {@code process.args}).
     *
     * @throws SpecException {@code INVALID_ARGUMENT} when the JSON is malformed or mistyped
     */
    public static RuntimeSpec read(byte[] json) {
        JsonNode tree = readTree(json);
        if (!tree.isObject()) {
            throw new SpecException("config.json",
                    "expected an object, got " + BindingErrors.describe(tree));
        }
        ObjectReader reader = MAPPER.readerFor(RuntimeSpec.class)
                .with(new InjectableValues.Std().addValue(RAW_JSON, new RawJson(json)));
        try {
            return reader.readValue(tree);
        } catch (JsonMappingException e) {
            throw BindingErrors.toSpecException(e, tree);
        } catch (IOException e) {
            throw new SpecException("config.json", "cannot bind: " + e.getMessage());
        }
    }

    private static JsonNode readTree(byte[] json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw BindingErrors.syntax(e);
        } catch (IOException e) {
            throw new SpecException("config.json", "cannot read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new SpecException("config.json", "malformed json: empty document");
        }
        return tree;
    }

    private static JsonMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Two parsers reading one document differently is an attack surface: refuse it.
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .build();
        LogicalType[] scalars = {
            LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean
        };
        for (LogicalType type : scalars) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper;
    }
}
