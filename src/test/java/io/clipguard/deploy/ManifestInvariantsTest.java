package io.clipguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the Kubernetes manifests and the container image must keep of the code's promises, read from
 * the files as shipped (ManifestConfigIT starts the job with the ConfigMap and probes its endpoints).
 */
class ManifestInvariantsTest {

    private static final Path K8S = Path.of("deploy", "kubernetes");
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
        for (String file : List.of("statefulset.yaml", "configmap.yaml", "../container/Dockerfile")) {
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
        String properties = kind("configmap.yaml", "ConfigMap")
                .at("/data/clipguard.properties")
                .asText();
        assertTrue(properties.contains("client.id=${env:POD_NAME}"), "kafka_* series keep their labels");
    }
}
