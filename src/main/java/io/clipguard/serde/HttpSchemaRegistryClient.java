package io.clipguard.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} speaking the Confluent Schema Registry REST API over {@link
 * java.net.http.HttpClient}: {@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}},
 * {@code GET /schemas/ids/{id}}, {@code GET /subjects/{s}/versions/latest}, {@code PUT /config}.
 * Works against Confluent's registry and Apicurio's ccompat API ({@code .../apis/ccompat/v7}).
 *
 * <p>Thread-safe. Caches the ids of registered schemas per subject and the schemas per id, for the
 * life of the client; ids are immutable in a registry, and both caches grow only with the distinct
 * schemas a process actually meets (failures are not cached). {@link #latest} is not cached.
 *
 * <p>Every request is bounded by {@code requestTimeout}; connecting by {@code connectTimeout}.
 * Unknown ids fail with {@link SchemaNotFoundException} ("schema id 42 not found in registry at
 * http://..."), an unreachable registry with {@link SchemaRegistryUnavailableException}, other HTTP
 * errors with {@link SchemaRegistryException} carrying the registry's message.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    /** Connect timeout used by {@link #HttpSchemaRegistryClient(URI)}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Per-request timeout used by {@link #HttpSchemaRegistryClient(URI)}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private record SubjectSchema(String subject, Schema schema) {}

    private final RegistryTransport transport;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** A client with the default timeouts. */
    public HttpSchemaRegistryClient(URI baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param baseUrl the Confluent-compatible base URL, for example {@code http://host:8081} or
     *     {@code http://host:8080/apis/ccompat/v7}
     * @param connectTimeout how long to wait for a TCP connection
     * @param requestTimeout how long to wait for each answer
     */
    public HttpSchemaRegistryClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this(List.of(Objects.requireNonNull(baseUrl, "baseUrl")), connectTimeout, requestTimeout, RegistryAccess.NONE);
    }

    /**
     * A client of a registry with several URLs (a request that finds one unreachable or failing tries
     * the next, and the next request starts from the one that answered), secured as {@code access}
     * says.
     */
    public HttpSchemaRegistryClient(
            List<URI> baseUrls, Duration connectTimeout, Duration requestTimeout, RegistryAccess access) {
        this.transport = new RegistryTransport(baseUrls, connectTimeout, requestTimeout, access);
    }

    /** The base URL this client talks to now, without a trailing slash. */
    public URI baseUrl() {
        return transport.baseUrl();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = transport.post(
                    "/subjects/" + encode(subject) + "/versions",
                    schemaBody(schema),
                    "registering a schema under subject " + subject);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() != 409) {
                throw e;
            }
            // Confluent answers 409 for an incompatible schema; some registries (Apicurio) also when another
            // client registered the same schema a moment before: then it is there, under its id
            try {
                return lookup(subject, schema);
            } catch (SchemaNotFoundException notThere) {
                throw e;
            }
        }
        return remember(key, requiredId(answer, subject));
    }

    @Override
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = transport.post(
                "/subjects/" + encode(subject), schemaBody(schema), "looking up a schema under subject " + subject);
        return remember(key, requiredId(answer, subject));
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = transport.get("/schemas/ids/" + id, "fetching schema id " + id);
        } catch (SchemaNotFoundException e) {
            if (e.errorCode() != RegistryTransport.SCHEMA_NOT_FOUND) {
                // a subject or version "not found" to a question about an id is not a registry's answer to it
                throw new SchemaRegistryUnavailableException(
                        "fetching schema id " + id + " at " + baseUrl() + " got an answer that is not about schemas ("
                                + e.getMessage() + "), try again later",
                        e);
            }
            throw new SchemaNotFoundException(
                    "schema id " + id + " not found in registry at " + baseUrl() + " (" + e.getMessage() + ")",
                    e.errorCode());
        }
        Schema schema = parse(answer, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public Optional<RegisteredSchema> latest(String subject) {
        JsonNode answer;
        try {
            answer = transport.get(
                    "/subjects/" + encode(subject) + "/versions/latest",
                    "fetching the latest version of subject " + subject);
        } catch (SchemaNotFoundException e) {
            return Optional.empty();
        }
        int id = requiredId(answer, subject);
        Schema schema = parse(answer, "latest version of subject " + subject);
        schemasById.putIfAbsent(id, schema);
        return Optional.of(new RegisteredSchema(subject, answer.path("version").asInt(), id, schema));
    }

    @Override
    public void updateGlobalCompatibility(Compatibility level) {
        ObjectNode body = RegistryTransport.json().createObjectNode().put("compatibility", level.name());
        transport.put("/config", body, "setting global compatibility to " + level);
    }

    private int remember(SubjectSchema key, int id) {
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, key.schema());
        return id;
    }

    private Schema parse(JsonNode answer, String what) {
        JsonNode references = answer.path("references");
        if (references.isArray() && !references.isEmpty()) {
            throw new SchemaRegistryException(
                    what + " at " + baseUrl() + " uses schema references, which this client does not support", 200, 0);
        }
        String schemaType = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(schemaType)) {
            throw new SchemaRegistryException(
                    what + " at " + baseUrl() + " is a " + schemaType + " schema, not Avro", 200, 0);
        }
        try {
            return new Schema.Parser().parse(answer.path("schema").asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    what + " at " + baseUrl() + " is not a valid Avro schema: " + e.getMessage(), 200, 0);
        }
    }

    private int requiredId(JsonNode answer, String subject) {
        JsonNode id = answer.path("id");
        if (!id.canConvertToInt()) {
            throw new SchemaRegistryException(
                    "registry at " + baseUrl() + " answered without a schema id for subject " + subject + ": " + answer,
                    200,
                    0);
        }
        return id.intValue();
    }

    private static ObjectNode schemaBody(Schema schema) {
        return RegistryTransport.json().createObjectNode().put("schema", schema.toString());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
