package io.clipguard.console;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's pages: one Mustache template per page under {@code console/} on the class path, with
 * the {@code top} and {@code bottom} partials. Every value is HTML-escaped as Mustache does by default;
 * no template uses the unescaped form. Thread-safe.
 */
final class Pages {

    private final MustacheFactory factory = new DefaultMustacheFactory("console");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    /** The page {@code name} with {@code model}'s values. */
    String render(String name, Map<String, Object> model) {
        Mustache page = compiled.computeIfAbsent(name, template -> factory.compile(template + ".mustache"));
        StringWriter out = new StringWriter();
        page.execute(out, model);
        return out.toString();
    }
}
