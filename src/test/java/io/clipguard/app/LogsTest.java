package io.clipguard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.config.LogConfig;
import io.clipguard.pipeline.UploadLogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogsTest {

    @Test
    void jsonLogsAreOneObjectPerLineWithTheUploadIdAndLevelsComeFromConfig() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        URI testConfig = context.getConfigLocation();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            // the production configuration, not the tests' own
            context.setConfigLocation(
                    Logs.class.getResource("/log4j2.properties").toURI());
            Logs.apply(new LogConfig(true, Map.of("io.clipguard.logstest", "debug")));
            Logger logger = LoggerFactory.getLogger("io.clipguard.logstest.Probe");
            try (UploadLogContext upload = UploadLogContext.of("u-" + "x".repeat(1000))) {
                logger.debug("decided \"quoted\"\nand a second line");
                logger.warn("failed", new IllegalStateException("boom"));
            }
            logger.info("no upload here");
            LoggerFactory.getLogger("io.clipguard.other").debug("not at debug: the default level stays info");
        } finally {
            System.clearProperty(Logs.FORMAT_PROPERTY);
            context.setConfigLocation(testConfig);
            System.setErr(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("DEBUG", first.get("level").asText());
        assertEquals("io.clipguard.logstest.Probe", first.get("logger").asText());
        assertEquals(
                "decided \"quoted\"\nand a second line", first.get("message").asText());
        assertTrue(first.get("upload_id").asText().startsWith("u-xxx"));
        assertTrue(first.get("upload_id").asText().length() < 300, "a hostile id is cut");
        assertTrue(first.get("@timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        JsonNode second = json.readTree(lines.get(1));
        assertTrue(second.get("error").asText().contains("IllegalStateException: boom"), lines.get(1));
        JsonNode third = json.readTree(lines.get(2));
        assertTrue(third.get("upload_id") == null || third.get("upload_id").isNull(), lines.get(2));
    }
}
