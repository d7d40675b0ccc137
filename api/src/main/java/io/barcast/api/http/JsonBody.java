package io.barcast.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request's JSON body read into a record, checked as strictly as {@link Params} checks query
 * parameters: a body that is not JSON is a 400 for the body; a field of the wrong type, or one the
 * endpoint does not know, is a 400 naming the field by its path ({@code symbols[3]}, {@code
 * windows[0].bars[2].close}); a body over the size limit is a 413. Scalars are taken as they are:
 * {@code 5} is not a string and {@code "5"} is not a number. A field left out is null (a number
 * left out is an error): the endpoint checks what it requires.
 */
public final class JsonBody {

    private static final long DRAIN_FACTOR = 8;

    private final ObjectMapper strict;
    private final long maxBytes;

    /**
     * @param mapper the API's mapper (its naming decides the field names); this reader uses a
     *     stricter copy
     * @param maxBytes the largest body accepted
     */
    public JsonBody(ObjectMapper mapper, long maxBytes) {
        ObjectMapper copy = mapper.copy();
        copy.enable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // a field left out is null: the endpoint says which it requires, naming the field
        copy.disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        // {"symbols": [...], "symbols": [...]} would otherwise keep the second silently
        copy.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (CoercionInputShape shape :
                new CoercionInputShape[] {
                    CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
                }) {
            copy.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type :
                new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            copy.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        copy.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        this.strict = copy;
        this.maxBytes = maxBytes;
    }

    /** The request's body as a {@code type}; throws an {@link ApiProblem} saying what is wrong. */
    public <T> T read(Context ctx, Class<T> type) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge(ctx);
        }
        byte[] body;
        try {
            body = ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            // a body without a length (chunked) that turned out too large while being read
            if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
                throw tooLarge(ctx);
            }
            throw e;
        }
        return parse(body, type);
    }

    /**
     * The 413, after reading what is left of the body up to {@link #DRAIN_FACTOR} times the limit:
     * a client still sending would otherwise find the connection closed under it and never see the
     * answer. A larger body is cut off.
     */
    private ApiProblem tooLarge(Context ctx) {
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] sink = new byte[8192];
            long left = DRAIN_FACTOR * maxBytes;
            int read;
            while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= read;
            }
        } catch (IOException e) {
            // the client went away: nobody waits for the answer
        }
        return tooLarge();
    }

    /** {@code body} as a {@code type}; throws an {@link ApiProblem} saying what is wrong. */
    public <T> T parse(byte[] body, Class<T> type) {
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        // syntax first, so that a truncated body is "not JSON" rather than a field's problem
        JsonNode tree;
        try {
            tree = strict.readTree(body);
        } catch (StreamReadException e) {
            throw ApiProblem.badBody(
                    "the body is not valid JSON: " + e.getOriginalMessage() + at(e));
        } catch (IOException e) {
            throw ApiProblem.badBody("the body is not one JSON value");
        }
        if (tree == null || tree.isMissingNode()) {
            throw ApiProblem.badBody("the body is empty; send a JSON object");
        }
        if (!tree.isObject()) {
            throw ApiProblem.badBody("the body must be a JSON object");
        }
        T value;
        try {
            value = strict.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            String known =
                    e.getKnownPropertyIds() == null
                            ? ""
                            : "; known: "
                                    + e.getKnownPropertyIds().stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .collect(Collectors.joining(", "));
            throw ApiProblem.badParameter(path, "unknown field " + path + known);
        } catch (MismatchedInputException e) {
            String path = path(e);
            if (path.isEmpty()) {
                throw ApiProblem.badBody("the body must be a JSON object");
            }
            throw ApiProblem.badParameter(path, path + " must be " + describe(e.getTargetType()));
        } catch (ValueInstantiationException e) {
            // a record's constructor refused the values; its message says why
            String path = path(e);
            String why = e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage();
            if (path.isEmpty()) {
                throw ApiProblem.badBody(why);
            }
            throw ApiProblem.badParameter(path, path + ": " + why);
        } catch (JsonMappingException e) {
            String path = path(e);
            throw path.isEmpty()
                    ? ApiProblem.badBody("the body cannot be read: " + e.getOriginalMessage())
                    : ApiProblem.badParameter(path, path + " cannot be read");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ApiProblem.badBody("the body cannot be read");
        }
        if (value == null) {
            throw ApiProblem.badBody("the body must be a single JSON object, not null");
        }
        return value;
    }

    private ApiProblem tooLarge() {
        return ApiProblem.tooLarge("the body is larger than " + maxBytes + " bytes");
    }

    /** Where in the body the problem is: {@code symbols[3]}, {@code windows[0].bars}. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                // an unknown field's name is the client's text
                path.append(Params.quote(reference.getFieldName()));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type.isEnum()) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time, e.g. 2026-01-05T14:30:00Z";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of another type";
    }

    private static String at(StreamReadException e) {
        JsonLocation location = e.getLocation();
        return location == null
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
