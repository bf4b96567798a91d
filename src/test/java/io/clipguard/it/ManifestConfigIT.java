package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.clipguard.app.ModerationApp;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.policy.PolicyLoader;
import io.clipguard.topics.ClusterTopics;
import io.clipguard.topics.TopicSpecs;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests against the application: the ConfigMap's settings load through the real
 * config loader (unknown keys refused), the job starts with them on a real broker and registry, and
 * answers on exactly the probe paths and port the StatefulSet names; KEDA's consumer group and topic
 * are the application id and the uploads topic; the dashboard queries only metrics the job exposes.
 */
class ManifestConfigIT {

    private static final Path K8S = Path.of("deploy", "kubernetes", "base");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path work;

    @Test
    void theManifestsConfigurationStartsTheJobAndAnswersTheirProbes() throws Exception {
        Properties manifest = new Properties();
        manifest.load(new StringReader(Files.readString(K8S.resolve("clipguard.properties"))));
        PolicyLoader.load(K8S.resolve("policy.yaml")); // the base's policy is a valid policy
        Path policy = K8S.resolve("../overlays/tiny/policy.yaml"); // the tiny overlay's, for the tiny model
        PolicyLoader.load(policy);
        AppConfig asDeployed = ConfigLoader.from(manifest, name -> name.equals("POD_NAME") ? "clipguard-0" : null);
        assertEquals("clipguard-0", asDeployed.streams().getProperty("group.instance.id"));
        Properties secure = new Properties();
        secure.load(new StringReader(Files.readString(K8S.resolve("../overlays/secure/clipguard.properties"))));
        AppConfig secured = ConfigLoader.from(secure, name -> "from-a-secret");
        assertEquals("SASL_SSL", secured.streams().getProperty("security.protocol"));
        assertEquals("from-a-secret", secured.serdeConfig().get("basic.auth.user.info"));

        List<JsonNode> workload = documents(K8S.resolve("statefulset.yaml"));
        JsonNode container = workload.get(0).at("/spec/template/spec/containers/0");
        int port = container.at("/ports/0/containerPort").asInt();
        assertEquals(asDeployed.management().port(), port, "the container port is the management port");
        assertEquals("0.0.0.0", asDeployed.management().host(), "reachable from the kubelet");
        assertEquals(
                String.valueOf(port),
                workload.get(0)
                        .at("/spec/template/metadata/annotations")
                        .path("prometheus.io/port")
                        .asText());
        long grace = workload.get(0)
                .at("/spec/template/spec/terminationGracePeriodSeconds")
                .asLong();
        assertTrue(
                grace * 1000 > asDeployed.management().drain().toMillis() + 30_000,
                "the grace period outlasts the drain and the close");
        JsonNode keda = documents(K8S.resolve("keda-scaledobject.yaml")).get(0).at("/spec/triggers/0/metadata");
        assertEquals(
                asDeployed.streams().getProperty("application.id"),
                keda.path("consumerGroup").asText());
        assertEquals(asDeployed.topics().uploads(), keda.path("topic").asText());

        // the same settings, pointed at this machine's broker, registry and files
        String run = UUID.randomUUID().toString().substring(0, 8);
        manifest.setProperty("application.id", "manifest-" + run);
        manifest.setProperty("bootstrap.servers", SharedKafka.get().bootstrapServers());
        manifest.setProperty(
                "schema.registry.url", LocalSchemaRegistry.shared().url().toString());
        manifest.setProperty("replication.factor", "1");
        manifest.setProperty("state.dir", work.resolve("state").toString());
        manifest.setProperty("clipguard.model.dir", "models/tiny-clip");
        manifest.setProperty("clipguard.policy.file", policy.toString());
        for (String role : List.of("uploads", "scored", "flagged", "dlq", "shadow")) {
            manifest.setProperty("clipguard.topic." + role, "manifest-" + role + "-" + run);
        }
        manifest.setProperty("clipguard.topic.policy", "manifest-policies-" + run);
        // the shipped topic specs, on a one-broker cluster: applied, then checked by the job at start
        Path topicsFile = work.resolve("topics.yaml");
        Files.writeString(
                topicsFile,
                Files.readString(K8S.resolve("topics.yaml"))
                        .replaceAll("replication-factor: \\d+", "replication-factor: 1")
                        .replaceAll("min.insync.replicas: \\d+", "min.insync.replicas: 1")
                        .replaceAll("partitions: \\d+", "partitions: 2"));
        manifest.setProperty("clipguard.topics.file", topicsFile.toString());
        AppConfig local = ConfigLoader.from(manifest, name -> name.equals("POD_NAME") ? "clipguard-0" : null);
        try (Admin admin = Admin.create(
                Map.<String, Object>of("bootstrap.servers", SharedKafka.get().bootstrapServers()))) {
            assertEquals(
                    List.of(),
                    new ClusterTopics(admin).apply(TopicSpecs.load(topicsFile, local.topicNamesByRole())),
                    "the specs apply");
        }
        try (ModerationApp app = ModerationApp.start(
                ConfigLoader.from(manifest, name -> name.equals("POD_NAME") ? "clipguard-0" : null))) {
            app.awaitRunning(Duration.ofSeconds(60));
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                JsonNode httpGet = container.path(probe).path("httpGet");
                assertEquals("management", httpGet.path("port").asText(), probe + " uses the named port");
                awaitOk(port, httpGet.path("path").asText());
            }
            String metrics = get(
                            port,
                            workload.get(0)
                                    .at("/spec/template/metadata/annotations")
                                    .path("prometheus.io/path")
                                    .asText())
                    .body();
            for (String name : dashboardMetrics()) {
                assertTrue(metrics.contains(name), "the dashboard's or an alert's " + name + " is exposed");
            }
        }
    }

    private static List<String> dashboardMetrics() throws Exception {
        String dashboard = Files.readString(Path.of("deploy", "grafana", "clipguard-dashboard.json"))
                + Files.readString(K8S.resolve("prometheus-rules.yaml"));
        Matcher m = Pattern.compile("\\b((?:clipguard|kafka|jvm|process|system)_[a-z_]+)")
                .matcher(dashboard);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(names.size() > 10);
        return names;
    }

    private static List<JsonNode> documents(Path file) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    private static void awaitOk(int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int code = 0;
        while (System.nanoTime() < deadline) {
            code = get(port, path).statusCode();
            if (code == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " answered " + code + ", not 200");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
