package io.clipguard.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job's command line as shipped, read from the files that define it: the Dockerfile's ENTRYPOINT
 * and ENV, the StatefulSet's args and JDK_JAVA_OPTIONS.
 */
record ContainerCommand(
        List<String> entrypoint, Map<String, String> imageEnv, String jdkJavaOptions, List<String> args) {

    static final String IMAGE_JAR = "/opt/clipguard/clipguard.jar";
    static final Path DOCKERFILE = Path.of("deploy", "container", "Dockerfile");
    static final Path STATEFULSET = Path.of("deploy", "kubernetes", "base", "statefulset.yaml");

    static ContainerCommand read() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(dockerfile);
        if (!entry.find()) {
            throw new AssertionError("no ENTRYPOINT in " + DOCKERFILE);
        }
        ObjectMapper json = new ObjectMapper();
        List<String> entrypoint = new ArrayList<>();
        json.readTree(entry.group(1)).forEach(arg -> entrypoint.add(arg.asText()));
        Matcher toolOptions = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
        Matcher tracking = Pattern.compile("OPT_OUT_TRACKING=(\\S+)").matcher(dockerfile);
        if (!toolOptions.find() || !tracking.find()) {
            throw new AssertionError("the image sets JAVA_TOOL_OPTIONS and OPT_OUT_TRACKING");
        }
        JsonNode container = new ObjectMapper(new YAMLFactory())
                .readTree(STATEFULSET.toFile())
                .at("/spec/template/spec/containers/0");
        String jdkOptions = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                jdkOptions = env.path("value").asText();
            }
        }
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        return new ContainerCommand(
                entrypoint,
                Map.of("JAVA_TOOL_OPTIONS", toolOptions.group(1), "OPT_OUT_TRACKING", tracking.group(1)),
                jdkOptions,
                args);
    }
}
