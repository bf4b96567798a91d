package io.clipguard.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clipguard.config.ReviewConfig;
import io.clipguard.ingest.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server. Security is here, once, before any page: every response gets the strict
 * headers; every page but sign-in and the static files needs a session (a signed cookie, or a trusted
 * proxy's header); every POST needs the session's CSRF token; publishing needs an admin. Then the path
 * picks the page.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final String COOKIE = "clipguard_session";
    private static final String UNKNOWN_USER_HASH = Passwords.hash("not anyone's password".toCharArray());
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ReviewConfig config;
    private final Sessions sessions;
    private final ReviewDesk desk;
    private final TuneDesk tune;
    private final Pages pages;
    private final List<Cidr> trustedProxies;
    private final Semaphore hashing = new Semaphore(2);

    ConsoleServer(ReviewConfig config, Sessions sessions, ReviewDesk desk, TuneDesk tune, Pages pages)
            throws IOException {
        this.config = config;
        this.sessions = sessions;
        this.desk = desk;
        this.tune = tune;
        this.pages = pages;
        this.trustedProxies = config.trustedProxies().stream().map(Cidr::parse).toList();
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
        this.executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "console-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port it listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on its own forms
        exchange.getResponseHeaders().set("Referrer-Policy", "same-origin");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Map<String, Object> model = new HashMap<>();
        try (exchange) {
            Http http = new Http(exchange);
            try {
                route(http, model);
            } catch (Http.Refused refused) {
                model.put("title", "Refused");
                model.put("heading", heading(refused.status));
                model.put("message", refused.getMessage());
                http.html(refused.status, pages.render("message", model));
            }
        } catch (Http.Refused refused) {
            reply(exchange, refused.status, refused.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "{} {} failed",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    e);
            reply(exchange, 500, "the console failed on this request; see its log");
        }
    }

    private void route(Http http, Map<String, Object> model) throws IOException, Http.Refused {
        String[] parts = segments(http.path);
        boolean get = http.method.equals("GET");
        boolean post = http.method.equals("POST");
        if (!get && !post) {
            throw new Http.Refused(405, "only GET and POST");
        }
        if (get && parts.length == 2 && parts[0].equals("static")) {
            staticFile(http, parts[1]);
            return;
        }
        if (post) {
            checkOrigin(http);
        }
        Optional<Sessions.Session> session = session(http);
        if (parts.length == 1 && parts[0].equals("login")) {
            login(http, model, session);
            return;
        }
        if (session.isEmpty()) {
            if (get) {
                http.redirect("/login");
                return;
            }
            throw new Http.Refused(401, "sign in first");
        }
        Sessions.Session user = session.get();
        model.put("user", user.user());
        model.put("admin", user.admin());
        model.put("csrf", sessions.csrfToken(user));
        if (post) {
            checkCsrf(http, user);
        }
        if (parts.length == 0 && get) {
            desk.queues(http, model);
        } else if (parts.length == 1 && parts[0].equals("logout") && post) {
            http.exchange
                    .getResponseHeaders()
                    .add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            http.redirect("/login");
        } else if (parts.length == 1 && parts[0].equals("claim") && post) {
            desk.claim(http, user);
        } else if (parts.length >= 3 && parts[0].equals("item")) {
            item(http, model, user, parts, get);
        } else if (parts.length >= 1 && parts[0].equals("tune")) {
            tunePage(http, model, user, parts, get);
        } else {
            throw new Http.Refused(404, "no such page");
        }
    }

    private void item(Http http, Map<String, Object> model, Sessions.Session user, String[] parts, boolean get)
            throws IOException, Http.Refused {
        String queue = Text.queue(parts[1]);
        String claimId = Text.claimId(parts[2]);
        String action = parts.length == 4 ? parts[3] : parts.length == 3 ? "" : null;
        if (action == null) {
            throw new Http.Refused(404, "no such page");
        }
        switch (action + (get ? ":GET" : ":POST")) {
            case ":GET" -> desk.item(http, model, user, queue, claimId);
            case "image:GET" -> desk.image(http, user, queue, claimId);
            case "decided:GET" -> desk.decided(http, model, user, queue, claimId);
            case "decide:POST" -> desk.decide(http, user, queue, claimId);
            case "undo:POST" -> desk.undo(http, user, queue, claimId);
            default -> throw new Http.Refused(404, "no such page");
        }
    }

    private void tunePage(Http http, Map<String, Object> model, Sessions.Session user, String[] parts, boolean get)
            throws IOException, Http.Refused {
        if (parts.length == 1 && get) {
            http.redirect("/tune/" + tune.liveId());
            return;
        }
        if (parts.length == 2 && parts[1].equals("promote") && !get) {
            requireAdmin(user);
            tune.promote(http, model, user);
            return;
        }
        String policyId = Text.policyId(parts[1]);
        if (parts.length == 2 && get) {
            tune.page(http, model, user, policyId);
        } else if (parts.length == 3 && parts[2].equals("calibration.png") && get) {
            tune.calibrationPlot(http, policyId);
        } else if (parts.length == 4 && parts[2].equals("pr") && parts[3].endsWith(".png") && get) {
            tune.prPlot(http, policyId, parts[3].substring(0, parts[3].length() - 4));
        } else if (parts.length == 3 && parts[2].equals("publish") && !get) {
            requireAdmin(user);
            tune.publish(http, model, user, policyId);
        } else {
            throw new Http.Refused(404, "no such page");
        }
    }

    private void login(Http http, Map<String, Object> model, Optional<Sessions.Session> session)
            throws IOException, Http.Refused {
        if (session.isPresent()) {
            http.redirect("/");
            return;
        }
        model.put("title", "Sign in");
        if (http.method.equals("GET")) {
            if (config.proxyHeader().isPresent()) {
                throw new Http.Refused(401, "sign in through the proxy in front of this console");
            }
            http.html(200, pages.render("login", model));
            return;
        }
        String name = http.form("user").orElse("");
        String password = http.form("password").orElse("");
        ReviewConfig.User user = config.users().get(name);
        if (!passwordMatches(user, password)) {
            LOG.info("refused a sign-in as {} from {}", Text.shown(name), http.exchange.getRemoteAddress());
            model.put("error", "Name or password is wrong.");
            http.html(401, pages.render("login", model));
            return;
        }
        setCookie(http, sessions.open(user.name(), user.admin()));
        http.redirect("/");
    }

    /**
     * Checks a password with at most two hashes at a time (PBKDF2 is slow on purpose, and sign-in is
     * open to anyone), spending as long on an unknown name as on a known one.
     */
    private boolean passwordMatches(ReviewConfig.User user, String password) throws Http.Refused {
        if (password.length() > 1024) {
            return false;
        }
        try {
            if (!hashing.tryAcquire(5, TimeUnit.SECONDS)) {
                throw new Http.Refused(503, "too many sign-ins at once: try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Http.Refused(503, "interrupted");
        }
        try {
            boolean known = user != null && user.passwordHash().isPresent();
            boolean matches = Passwords.matches(
                    password.toCharArray(), known ? user.passwordHash().get() : UNKNOWN_USER_HASH);
            return known && matches;
        } finally {
            hashing.release();
        }
    }

    /** The session of a signed cookie; or, where a trusted proxy names the user, a session for them. */
    private Optional<Sessions.Session> session(Http http) {
        Optional<Sessions.Session> fromCookie =
                http.cookie(COOKIE).flatMap(sessions::read).flatMap(this::stillValid);
        if (config.proxyHeader().isEmpty()) {
            return fromCookie;
        }
        Optional<String> named = http.header(config.proxyHeader().get())
                .filter(name -> fromTrustedProxy(http))
                .filter(Text::isUserName);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        if (fromCookie.isPresent() && fromCookie.get().user().equals(named.get())) {
            return fromCookie;
        }
        ReviewConfig.User configured = config.users().get(named.get());
        Sessions.Session session = sessions.open(named.get(), configured != null && configured.admin());
        setCookie(http, session);
        return Optional.of(session);
    }

    /**
     * The session with the role the configuration gives its user now: a user removed from the
     * configuration (or, without a proxy, left without a password) is signed out, a demoted admin demoted.
     */
    private Optional<Sessions.Session> stillValid(Sessions.Session session) {
        ReviewConfig.User user = config.users().get(session.user());
        if (config.proxyHeader().isEmpty()
                && (user == null || user.passwordHash().isEmpty())) {
            return Optional.empty();
        }
        boolean admin = user != null && user.admin();
        return Optional.of(new Sessions.Session(session.user(), admin, session.expiresAtMs(), session.nonce()));
    }

    private boolean fromTrustedProxy(Http http) {
        java.net.InetAddress address = http.exchange.getRemoteAddress().getAddress();
        return trustedProxies.stream().anyMatch(cidr -> cidr.contains(address));
    }

    private void setCookie(Http http, Sessions.Session session) {
        http.exchange
                .getResponseHeaders()
                .add(
                        "Set-Cookie",
                        COOKIE + "=" + sessions.cookie(session) + "; Path=/; HttpOnly; SameSite=Strict"
                                + (config.secureCookies() ? "; Secure" : ""));
    }

    /** A browser names the page a form came from: it must be this console (sign-in forms included). */
    private static void checkOrigin(Http http) throws Http.Refused {
        Optional<String> origin = http.header("Origin");
        String host = http.header("Host").orElse("");
        if (origin.isPresent() && !origin.get().replaceFirst("^https?://", "").equals(host)) {
            throw new Http.Refused(403, "this form came from another site");
        }
    }

    private void checkCsrf(Http http, Sessions.Session session) throws Http.Refused {
        if (!sessions.csrfMatches(session, http.form("csrf").orElse(null))) {
            throw new Http.Refused(403, "this form has expired or came from another site: reload the page");
        }
    }

    private static void requireAdmin(Sessions.Session session) throws Http.Refused {
        if (!session.admin()) {
            throw new Http.Refused(403, "only admins publish policies");
        }
    }

    private void staticFile(Http http, String name) throws IOException, Http.Refused {
        String type = name.equals("console.css")
                ? "text/css; charset=utf-8"
                : name.equals("console.js") ? "text/javascript; charset=utf-8" : null;
        if (type == null) {
            throw new Http.Refused(404, "no such file");
        }
        try (InputStream in = ConsoleServer.class.getResourceAsStream("/console/static/" + name)) {
            http.send(200, type, in.readAllBytes());
        }
    }

    private static String[] segments(String rawPath) throws Http.Refused {
        String trimmed = rawPath.replaceAll("^/+|/+$", "");
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        String[] parts = trimmed.split("/");
        if (parts.length > 6) {
            throw new Http.Refused(404, "no such page");
        }
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Http.Refused(400, "the path is not URL-encoded");
            }
        }
        return parts;
    }

    private static String heading(int status) {
        return switch (status) {
            case 401 -> "Sign in first";
            case 403 -> "Not allowed";
            case 404, 410 -> "Not found";
            case 409 -> "That did not happen";
            case 503 -> "Try again";
            default -> "Bad request";
        };
    }

    private static void reply(HttpExchange exchange, int status, String message) {
        try {
            byte[] body = message.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            // the response was under way already
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
