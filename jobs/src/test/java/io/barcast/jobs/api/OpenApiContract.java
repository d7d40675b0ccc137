package io.barcast.jobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.DisallowUnknownKeywordFactory;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's OpenAPI 3.0.3 document as a test oracle: {@link #assertValid} checks that a real
 * response is one the document allows for its operation (status, content type, required headers and
 * their values, the body against the response schema). The document is parsed with swagger-parser,
 * which must report nothing, and bodies are validated with networknt's OpenAPI 3.0 dialect, which
 * follows {@code $ref}s inside the document and knows {@code nullable}; formats ({@code date-time},
 * {@code uuid}, {@code date}) are asserted, not just annotated, and a keyword the dialect does not
 * know (a typo such as {@code requried}) fails the document instead of being ignored.
 */
public final class OpenApiContract {

    /** The id the document is registered under with the validator; never fetched. */
    private static final String DOCUMENT_ID = "https://barcast.invalid/api/v1/openapi.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PROBLEM_SCHEMA = "/components/schemas/Problem";

    /**
     * OpenAPI 3.0's schema dialect, where the document's own top-level fields are not schema
     * keywords (the document is registered whole so that {@code $ref}s resolve inside it) and any
     * other unknown keyword is an error.
     */
    private static final Dialect DIALECT =
            Dialect.builder(Dialects.getOpenApi30())
                    .keywords(
                            List.of(
                                            "openapi",
                                            "info",
                                            "servers",
                                            "tags",
                                            "security",
                                            "paths",
                                            "components",
                                            "externalDocs")
                                    .stream()
                                    .map(NonValidationKeyword::new)
                                    .toList())
                    .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
                    .build();

    private final JsonNode document;
    private final OpenAPI model;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(String text, JsonNode document, OpenAPI model) {
        this.document = document;
        this.model = model;
        SchemaRegistryConfig config =
                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry =
                SchemaRegistry.withDialect(
                        DIALECT,
                        builder ->
                                builder.schemas(Map.of(DOCUMENT_ID, text))
                                        .schemaRegistryConfig(config));
    }

    /** An operation of the document and the lowest tier it says may call it. */
    public record Operation(String method, String path, String tier) {}

    /** The document a running server serves at {@code /api/v1/openapi.json}. */
    public static OpenApiContract served(ApiClient client) {
        ApiClient.Response response = client.get("/api/v1/openapi.json");
        if (response.status() != 200) {
            throw new AssertionError("GET /api/v1/openapi.json answered " + response);
        }
        return of(response.body());
    }

    /** The document as the api module ships it ({@code openapi.json} on the classpath). */
    public static OpenApiContract shipped() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new AssertionError("openapi.json is not on the classpath");
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A document from its text; an {@link AssertionError} listing swagger-parser's messages when it
     * reports any (a missing description, an unknown field, a {@code $ref} to nothing...).
     */
    public static OpenApiContract of(String text) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
        if (!messages.isEmpty() || result.getOpenAPI() == null) {
            throw new AssertionError(
                    "the OpenAPI document does not parse cleanly:\n - "
                            + String.join("\n - ", messages));
        }
        OpenApiContract contract;
        try {
            contract = new OpenApiContract(text, MAPPER.readTree(text), result.getOpenAPI());
        } catch (JsonProcessingException e) {
            throw new AssertionError("the OpenAPI document is not JSON", e);
        }
        contract.loadEverySchema();
        return contract;
    }

    /** The document as a JSON tree. */
    public JsonNode document() {
        return document;
    }

    /** Every operation, with its {@code x-barcast-tier} (null when it names none). */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : model.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, io.swagger.v3.oas.models.Operation> operation :
                    path.getValue().readOperationsMap().entrySet()) {
                Map<String, Object> extensions = operation.getValue().getExtensions();
                Object tier = extensions == null ? null : extensions.get("x-barcast-tier");
                operations.add(
                        new Operation(
                                operation.getKey().name(),
                                path.getKey(),
                                tier == null ? null : tier.toString()));
            }
        }
        return operations;
    }

    /**
     * Fails, naming every difference, unless the document allows {@code response} as an answer of
     * the operation {@code method pathTemplate} (e.g. {@code GET}, {@code
     * /api/v1/predictions/{symbol}}).
     */
    public void assertValid(String method, String pathTemplate, ApiClient.Response response) {
        List<String> problems = problemsOf(method, pathTemplate, response);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    method
                            + " "
                            + pathTemplate
                            + " answered what the OpenAPI document does not allow:\n - "
                            + String.join("\n - ", problems)
                            + "\nresponse: "
                            + cap(response.toString()));
        }
    }

    /**
     * Fails unless the document allows {@code response} as the answer of the operation its request
     * went to: the documented path that matches the request's path, literal segments before
     * templated ones ({@code /predictions/batch} before {@code /predictions/{symbol}}). A request
     * to no documented path must have been answered with a problem.
     */
    public void assertValid(ApiClient.Response response) {
        String method = response.raw().request().method();
        String path = response.raw().request().uri().getRawPath();
        String template = templateOf(method, path);
        if (template == null) {
            assertProblem(response);
        } else {
            assertValid(method, template, response);
        }
    }

    /** The documented path template of {@code method path}, or null. */
    String templateOf(String method, String path) {
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Operation operation : operations()) {
            if (!operation.method().equalsIgnoreCase(method)) {
                continue;
            }
            String[] template = operation.path().split("/", -1);
            if (template.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{")) {
                    matches = !segments[i].isEmpty();
                } else {
                    matches = template[i].equals(segments[i]);
                    literals++;
                }
            }
            if (matches && literals > bestLiterals) {
                best = operation.path();
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** What {@link #assertValid} would fail on; empty when the response is allowed. */
    public List<String> problemsOf(
            String method, String pathTemplate, ApiClient.Response response) {
        return problemsOf(
                method,
                pathTemplate,
                response.status(),
                response.raw().headers().map(),
                response.body());
    }

    /** The same for a response given by its parts (header names are matched ignoring case). */
    public List<String> problemsOf(
            String method,
            String pathTemplate,
            int status,
            Map<String, List<String>> headers,
            String body) {
        List<String> problems = new ArrayList<>();
        String operationPointer =
                "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.at(operationPointer);
        if (!operation.isObject()) {
            problems.add("the document has no operation " + method + " " + pathTemplate);
            return problems;
        }
        JsonNode responses = operation.path("responses");
        String code = Integer.toString(status);
        String key = responses.has(code) ? code : responses.has("default") ? "default" : null;
        if (key == null) {
            problems.add(
                    "status "
                            + status
                            + " is not documented; documented: "
                            + names(responses.fieldNames()));
            return problems;
        }
        Located answer =
                follow(new Located(responses.get(key), operationPointer + "/responses/" + key));
        checkHeaders(answer, headers, problems);
        checkBody(answer, headers, body, problems);
        return problems;
    }

    /**
     * Fails unless {@code response} is a problem ({@code application/problem+json} with the
     * document's Problem schema and an {@code X-Request-Id}) of status 400 or more; for answers no
     * operation owns, such as an unknown path.
     */
    public void assertProblem(ApiClient.Response response) {
        List<String> problems = new ArrayList<>();
        if (response.status() < 400) {
            problems.add("status " + response.status() + " is not an error");
        }
        if (!"application/problem+json".equals(mediaType(response.header("Content-Type")))) {
            problems.add("content type " + response.header("Content-Type") + " is not a problem");
        }
        if (response.header("X-Request-Id") == null) {
            problems.add("header X-Request-Id is missing");
        }
        validate(PROBLEM_SCHEMA, response.body(), "body", problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "not a problem response as the OpenAPI document describes it:\n - "
                            + String.join("\n - ", problems)
                            + "\nresponse: "
                            + cap(response.toString()));
        }
    }

    /**
     * What {@code json} breaks of the schema at {@code schemaPointer} in the document (e.g. {@code
     * /components/schemas/PredictionSummary}); empty when it keeps it.
     */
    public List<String> problemsAgainst(String schemaPointer, String json) {
        List<String> problems = new ArrayList<>();
        validate(schemaPointer, json, "body", problems);
        return problems;
    }

    /** Loads each schema now, so a schema the validator cannot read fails here, not in a test. */
    private void loadEverySchema() {
        List<String> pointers = new ArrayList<>();
        document.path("components")
                .path("schemas")
                .fieldNames()
                .forEachRemaining(name -> pointers.add("/components/schemas/" + escape(name)));
        collectSchemas(document.path("paths"), "/paths", pointers);
        collectSchemas(
                document.path("components").path("responses"), "/components/responses", pointers);
        collectSchemas(
                document.path("components").path("headers"), "/components/headers", pointers);
        collectSchemas(
                document.path("components").path("parameters"), "/components/parameters", pointers);
        for (String pointer : pointers) {
            try {
                schema(pointer).initializeValidators();
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "the schema at " + pointer + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    /** Every {@code schema} under {@code node}, outside {@code components/schemas}. */
    private static void collectSchemas(JsonNode node, String pointer, List<String> pointers) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String at = pointer + "/" + escape(field.getKey());
            if (field.getKey().equals("schema") && field.getValue().isObject()) {
                pointers.add(at);
            } else if (field.getValue().isContainerNode()) {
                collectSchemas(field.getValue(), at, pointers);
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectSchemas(node.get(i), pointer + "/" + i, pointers);
            }
        }
    }

    private void checkHeaders(
            Located answer, Map<String, List<String>> headers, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> documented = answer.node.path("headers").fields();
        while (documented.hasNext()) {
            Map.Entry<String, JsonNode> entry = documented.next();
            String name = entry.getKey();
            Located header =
                    follow(
                            new Located(
                                    entry.getValue(), answer.pointer + "/headers/" + escape(name)));
            String value = header(headers, name);
            if (value == null) {
                if (header.node.path("required").asBoolean(false)) {
                    problems.add("header " + name + " is missing");
                }
                continue;
            }
            JsonNode schema = header.node.path("schema");
            JsonNode instance =
                    headerValue(follow(new Located(schema, header.pointer + "/schema")), value);
            validate(header.pointer + "/schema", instance, "header " + name, problems);
        }
    }

    private void checkBody(
            Located answer, Map<String, List<String>> headers, String body, List<String> problems) {
        JsonNode content = answer.node.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add("the document says no body, but there is one");
            }
            return;
        }
        String type = mediaType(header(headers, "Content-Type"));
        if (type == null) {
            problems.add(
                    "header Content-Type is missing; documented: " + names(content.fieldNames()));
            return;
        }
        if (!content.has(type)) {
            problems.add(
                    "content type "
                            + type
                            + " is not documented; documented: "
                            + names(content.fieldNames()));
            return;
        }
        if (type.equals("application/json") || type.endsWith("+json")) {
            validate(
                    answer.pointer + "/content/" + escape(type) + "/schema",
                    body,
                    "body",
                    problems);
        }
    }

    private void validate(String schemaPointer, String json, String what, List<String> problems) {
        JsonNode instance;
        try {
            instance = MAPPER.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            problems.add(what + " is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (instance == null || instance.isMissingNode()) {
            problems.add(what + " is empty");
            return;
        }
        validate(schemaPointer, instance, what, problems);
    }

    private void validate(
            String schemaPointer, JsonNode instance, String what, List<String> problems) {
        for (Error error : schema(schemaPointer).validate(instance)) {
            problems.add(what + " " + error);
        }
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(
                pointer,
                at -> registry.getSchema(SchemaLocation.of(DOCUMENT_ID + "#" + fragment(at))));
    }

    /** A node of the document and where it is; {@code $ref}s followed to where they point. */
    private record Located(JsonNode node, String pointer) {}

    private Located follow(Located located) {
        Located at = located;
        for (int hops = 0; at.node.has("$ref"); hops++) {
            String ref = at.node.get("$ref").asText();
            if (!ref.startsWith("#/") || hops > 20) {
                throw new AssertionError("cannot follow $ref " + ref + " at " + at.pointer);
            }
            String pointer = ref.substring(1);
            at = new Located(document.at(pointer), pointer);
        }
        return at;
    }

    /** A header's text as the JSON value its schema describes (a number for a numeric schema). */
    private static JsonNode headerValue(Located schema, String value) {
        String type = schema.node.path("type").asText("");
        if (type.equals("integer") || type.equals("number")) {
            try {
                BigDecimal number = new BigDecimal(value.strip());
                return number.scale() <= 0
                        ? JsonNodeFactory.instance.numberNode(number.toBigIntegerExact())
                        : JsonNodeFactory.instance.numberNode(number);
            } catch (NumberFormatException | ArithmeticException e) {
                return JsonNodeFactory.instance.textNode(value);
            }
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null
                    && entry.getKey().equalsIgnoreCase(name)
                    && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    /** {@code application/json; charset=utf-8} is {@code application/json}. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }

    /** One JSON pointer token (RFC 6901): {@code /api/v1/x} is {@code ~1api~1v1~1x}. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: what a fragment may not hold, percent-encoded. */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean allowed =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
            if (allowed) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String names(Iterator<String> names) {
        List<String> all = new ArrayList<>();
        names.forEachRemaining(all::add);
        return String.join(", ", all);
    }

    private static String cap(String text) {
        return text.length() <= 2_000 ? text : text.substring(0, 1_999) + "…";
    }
}
