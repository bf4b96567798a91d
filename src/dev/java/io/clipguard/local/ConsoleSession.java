package io.clipguard.local;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reviewer signed in to the review console, without a browser: cookies kept, redirects not followed,
 * forms posted with the session's CSRF token. For the console's tests and its benchmark.
 */
public final class ConsoleSession {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final HttpClient http;
    private final String base;
    public final String name;

    public ConsoleSession(int port, String name) {
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.base = "http://127.0.0.1:" + port;
        this.name = name;
    }

    public static ConsoleSession signedIn(int port, String name, String password) throws Exception {
        ConsoleSession reviewer = new ConsoleSession(port, name);
        HttpResponse<String> response = reviewer.post("/login", Map.of("user", name, "password", password), false);
        if (response.statusCode() != 303) {
            throw new AssertionError("sign-in as " + name + " answered " + response.statusCode());
        }
        return reviewer;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Posts a form, with this session's CSRF token (read from the queue page) unless {@code csrf} is false. */
    public HttpResponse<String> post(String path, Map<String, String> form, boolean csrf)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        if (csrf) {
            body.append("csrf=").append(enc(csrfToken()));
        }
        form.forEach((key, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(enc(key))
                .append('=')
                .append(enc(value)));
        return postRaw(path, body.toString());
    }

    public HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String csrf;

    public String csrfToken() throws IOException, InterruptedException {
        if (csrf == null) {
            Matcher found = CSRF.matcher(get("/").body());
            if (!found.find()) {
                throw new AssertionError("no CSRF token on the queue page");
            }
            csrf = found.group(1);
        }
        return csrf;
    }

    /** Claims the next item of a queue: the item page's path, or null when the queue is empty. */
    public String claim(String queue) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/claim", Map.of("queue", queue), true);
        if (response.statusCode() == 409) {
            return null;
        }
        if (response.statusCode() != 303) {
            throw new AssertionError("claim answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
