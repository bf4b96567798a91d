package io.clipguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the Kubernetes manifests and the container image must keep of the code's promises, read from
 * the files as shipped (ManifestConfigIT starts the job with the ConfigMap and probes its endpoints).
 */
class ManifestInvariantsTest {

    private static final Path K8S = Path.of("deploy", "kubernetes", "base");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> documents(String file) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser =
                new YAMLFactory().createParser(K8S.resolve(file).toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    private static JsonNode kind(String file, String kind) throws Exception {
        return documents(file).stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + file));
    }

    private static JsonNode container() throws Exception {
        return kind("statefulset.yaml", "StatefulSet").at("/spec/template/spec/containers/0");
    }

    @Test
    void kedaOwnsTheReplicaCountAndScalesDeliberately() throws Exception {
        assertTrue(
                kind("statefulset.yaml", "StatefulSet")
                        .path("spec")
                        .path("replicas")
                        .isMissingNode(),
                "no replicas in the StatefulSet: every apply would reset KEDA's count, a rebalance each time");
        JsonNode behavior = kind("keda-scaledobject.yaml", "ScaledObject")
                .at("/spec/advanced/horizontalPodAutoscalerConfig/behavior");
        assertTrue(behavior.at("/scaleDown/stabilizationWindowSeconds").asInt() >= 300, behavior.toString());
        assertTrue(behavior.at("/scaleUp/policies/0/value").asInt() > 0, behavior.toString());
    }

    @Test
    void theJvmKeepsTheImagesOptionsSizesToTheContainerAndLeavesOutOfMemoryToTheJob() throws Exception {
        JsonNode env = container().path("env");
        List<String> names = new ArrayList<>();
        env.forEach(e -> names.add(e.path("name").asText()));
        assertFalse(names.contains("JAVA_TOOL_OPTIONS"), "it would replace the image's -Dai.djl.offline=true");
        String options = "";
        for (JsonNode e : env) {
            if (e.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                options = e.path("value").asText();
            }
        }
        assertTrue(options.contains("MaxRAMPercentage"), "the heap is a share of the container: " + options);
        assertTrue(options.contains("ActiveProcessorCount"), options);
        assertFalse(options.contains("-Xmx"), options);
        for (String file : List.of("statefulset.yaml", "clipguard.properties", "../../container/Dockerfile")) {
            assertFalse(
                    Files.readString(K8S.resolve(file)).contains("ExitOnOutOfMemoryError"),
                    file + ": an OutOfMemoryError is the job's to handle (retry, then IMAGE_TOO_LARGE)");
        }
        assertEquals(
                container().at("/resources/requests/cpu").asText(),
                container().at("/resources/limits/cpu").asText(),
                "a CPU limit, so that the JVM sizes its pools to it");
    }

    @Test
    void probesUseTheRightEndpointsWithTimeoutsTheChecksFitIn() throws Exception {
        JsonNode container = container();
        assertEquals(
                "/health/ready",
                container.at("/startupProbe/httpGet/path").asText(),
                "liveness is up while the model loads: a hung start would never be restarted");
        assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals(
                "/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertTrue(
                    container.path(probe).path("timeoutSeconds").asInt(1) >= 5,
                    probe + ": the cluster check behind readiness can take 2.5 s");
        }
    }

    @Test
    void aDrainDuringAnOutageIsNotBlocked() throws Exception {
        assertEquals(
                "AlwaysAllow",
                kind("statefulset.yaml", "PodDisruptionBudget")
                        .at("/spec/unhealthyPodEvictionPolicy")
                        .asText());
    }

    @Test
    void itRunsAsANumericNonRootUserOnAReadOnlyRootFileSystem() throws Exception {
        JsonNode pod = kind("statefulset.yaml", "StatefulSet").at("/spec/template/spec/securityContext");
        assertTrue(pod.path("runAsNonRoot").asBoolean());
        assertTrue(pod.path("runAsUser").asInt() > 0);
        JsonNode container = container().path("securityContext");
        assertTrue(container.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(container.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", container.at("/capabilities/drop/0").asText());
        List<String> writable = new ArrayList<>();
        container()
                .path("volumeMounts")
                .forEach(m -> writable.add(m.path("mountPath").asText()));
        assertTrue(writable.contains("/tmp"), "the JVM, the state directory and native libraries write under /tmp");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$")
                .matcher(Files.readString(Path.of("deploy", "container", "Dockerfile")));
        assertTrue(user.find());
        assertTrue(user.group(1).matches("\\d+") && !user.group(1).equals("0"), "numeric: " + user.group(1));
        assertTrue(
                Files.readAllLines(Path.of("deploy", "container", "Dockerfile")).stream()
                        .filter(line -> !line.trim().startsWith("#"))
                        .noneMatch(line -> line.contains("chown -R")),
                "a chown -R after COPY duplicates the libraries in a layer");
    }

    @Test
    void everyPodHasAStableClientId() throws Exception {
        String properties = Files.readString(K8S.resolve("clipguard.properties"));
        assertTrue(properties.contains("client.id=${env:POD_NAME}"), "kafka_* series keep their labels");
    }

    @Test
    void aConfigChangeRollsThePods() throws Exception {
        JsonNode kustomization = documents("kustomization.yaml").get(0);
        JsonNode generator = kustomization.at("/configMapGenerator/0");
        List<String> files = new ArrayList<>();
        generator.path("files").forEach(f -> files.add(f.asText()));
        assertEquals(List.of("clipguard.properties", "policy.yaml", "topics.yaml"), files);
        assertFalse(
                generator.at("/options/disableNameSuffixHash").asBoolean(false),
                "the hash in the ConfigMap's name is what rolls the pods");
        JsonNode volumes = kind("statefulset.yaml", "StatefulSet").at("/spec/template/spec/volumes");
        boolean mounted = false;
        for (JsonNode volume : volumes) {
            mounted |= volume.at("/configMap/name")
                    .asText()
                    .equals(generator.path("name").asText());
        }
        assertTrue(mounted, "the pod mounts the generated ConfigMap by its generator's name");
        for (JsonNode resource : kustomization.path("resources")) {
            assertTrue(Files.exists(K8S.resolve(resource.asText())), "resource " + resource.asText() + " exists");
        }
        for (String file : files) {
            assertTrue(Files.exists(K8S.resolve(file)), file + " exists");
        }
    }

    @Test
    void theModelComesFromAnInitContainerIntoAVolumeTheJobReadsOnly() throws Exception {
        JsonNode pod = kind("statefulset.yaml", "StatefulSet").at("/spec/template/spec");
        JsonNode init = pod.at("/initContainers/0");
        assertTrue(init.path("image").asText().startsWith("clipguard-model:"), init.toString());
        assertEquals("/models", init.at("/volumeMounts/0/mountPath").asText());
        JsonNode models = null;
        for (JsonNode mount : container().path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/models")) {
                models = mount;
            }
        }
        assertTrue(models != null && models.path("readOnly").asBoolean(), "the job reads the bundle, never writes");
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(K8S.resolve("clipguard.properties"))));
        assertEquals("/models", properties.getProperty("clipguard.model.dir"));
        assertEquals("/etc/clipguard/policy.yaml", properties.getProperty("clipguard.policy.file"));
        assertEquals("/etc/clipguard/topics.yaml", properties.getProperty("clipguard.topics.file"));
        assertEquals(
                Files.readString(Path.of("deploy", "policies", "starter-vit-b-32.yaml")),
                Files.readString(K8S.resolve("policy.yaml")),
                "the base's policy is the starter policy for the real CLIP bundle, as shipped");
        assertEquals(
                Files.readString(Path.of("deploy", "policies", "tiny-shapes.yaml")),
                Files.readString(K8S.resolve("../overlays/tiny/policy.yaml")),
                "the tiny overlay's policy is the tiny model's, as shipped");
    }

    @Test
    void theSecureOverlayChangesOnlyTheConnectionAndNamesEverySecretItUses() throws Exception {
        List<String> base = Files.readAllLines(K8S.resolve("clipguard.properties"));
        List<String> secure = Files.readAllLines(K8S.resolve("../overlays/secure/clipguard.properties"));
        for (String line : base) {
            if (!line.startsWith("bootstrap.servers=") && !line.startsWith("schema.registry.url=")) {
                assertTrue(secure.contains(line), "the secure overlay keeps the base's " + line);
            }
        }
        String text = String.join("\n", secure);
        assertTrue(text.contains("security.protocol=SASL_SSL"));
        assertTrue(text.contains("basic.auth.credentials.source="));
        Set<String> provided = new HashSet<>(Set.of("POD_NAME"));
        documents("../overlays/secure/statefulset-secrets.yaml")
                .get(0)
                .at("/spec/template/spec/containers/0/env")
                .forEach(e -> provided.add(e.path("name").asText()));
        Matcher variables = Pattern.compile("\\$\\{env:([A-Z_]+)}").matcher(text);
        while (variables.find()) {
            assertTrue(provided.contains(variables.group(1)), variables.group(1) + " comes from a Secret");
        }
        assertEquals(
                "clipguard-kafka",
                documents("../overlays/secure/keda-trigger-authentication.yaml")
                        .get(0)
                        .at("/metadata/name")
                        .asText());
    }

    @Test
    void everyAlertLinksARunbookSectionThatExists() throws Exception {
        String runbooks = Files.readString(Path.of("deploy", "RUNBOOKS.md"));
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,3} (.+)$").matcher(runbooks);
        while (heading.find()) {
            anchors.add(heading.group(1)
                    .trim()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9 _-]", "")
                    .replace(' ', '-'));
        }
        int alerts = 0;
        for (JsonNode group : kind("prometheus-rules.yaml", "PrometheusRule").at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts++;
                    String url = rule.at("/annotations/runbook_url").asText();
                    assertTrue(
                            url.contains("deploy/RUNBOOKS.md#"),
                            rule.path("alert").asText() + ": " + url);
                    String anchor = url.substring(url.indexOf('#') + 1);
                    assertTrue(anchors.contains(anchor), rule.path("alert").asText() + " links #" + anchor);
                    assertTrue(rule.path("expr").asText().length() > 0);
                    assertFalse(rule.path("expr").asText().contains("[1m]"), "windows work at any scrape interval");
                }
            }
        }
        assertTrue(alerts >= 8, "alerts: " + alerts);
    }

    @Test
    void thePodMonitorScrapesTheManagementPort() throws Exception {
        JsonNode endpoint = kind("podmonitor.yaml", "PodMonitor").at("/spec/podMetricsEndpoints/0");
        assertEquals(
                container().at("/ports/0/name").asText(), endpoint.path("port").asText());
        assertEquals("/metrics", endpoint.path("path").asText());
    }

    @Test
    void theDashboardWorksAtAnyScrapeInterval() throws Exception {
        String dashboard = Files.readString(Path.of("deploy", "grafana", "clipguard-dashboard.json"));
        assertFalse(dashboard.contains("[1m]"), "rate over [1m] shows nothing at a 1 m scrape interval");
        assertTrue(dashboard.contains("$__rate_interval"));
        assertFalse(
                dashboard.contains("kafka_consumer_fetch_manager_records_lag"),
                "client-side lag vanishes for unassigned partitions");
    }

    @Test
    void theGpuOverlayRequestsAGpuCachesEnginesPerPodAndWaitsForTheFirstBuild() throws Exception {
        Properties gpu = new Properties();
        gpu.load(new StringReader(Files.readString(K8S.resolve("../overlays/gpu/clipguard.properties"))));
        assertEquals("tensorrt", gpu.getProperty("clipguard.model.engine"));
        JsonNode patch = documents("../overlays/gpu/statefulset-gpu.yaml").get(0);
        JsonNode container = patch.at("/spec/template/spec/containers/0");
        assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt());
        String cache = gpu.getProperty("clipguard.tensorrt.cache-dir");
        String claim = patch.at("/spec/volumeClaimTemplates/0/metadata/name").asText();
        boolean mounted = false;
        for (JsonNode mount : container.path("volumeMounts")) {
            mounted |= mount.path("name").asText().equals(claim)
                    && mount.path("mountPath").asText().equals(cache);
        }
        assertTrue(mounted, "the engine cache is a volume of the pod's own at " + cache);
        JsonNode startup = container.path("startupProbe");
        assertTrue(
                startup.path("periodSeconds").asInt()
                                * startup.path("failureThreshold").asInt()
                        >= 20 * 60,
                "a first start builds the TensorRT engine: minutes");
        assertEquals(
                container.at("/resources/requests/cpu").asText(),
                container.at("/resources/limits/cpu").asText());
        for (String line : Files.readAllLines(K8S.resolve("clipguard.properties"))) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')) : line;
            if (!line.startsWith("#") && !line.isBlank() && !gpu.containsKey(key)) {
                throw new AssertionError("the GPU overlay drops the base's " + line);
            }
        }
    }
}
