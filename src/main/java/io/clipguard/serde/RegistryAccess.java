package io.clipguard.serde;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach a secured registry, from the keys users already have in their Confluent configs:
 * credentials sent with every request, and the TLS trust and identity.
 *
 * <pre>
 * basic.auth.credentials.source=USER_INFO   # USER_INFO | URL | SASL_INHERIT
 * basic.auth.user.info=USER:PASSWORD         # also schema.registry.basic.auth.user.info
 * bearer.auth.credentials.source=STATIC_TOKEN
 * bearer.auth.token=TOKEN
 * bearer.auth.logical.cluster=lsrc-...       # Confluent Cloud: sent as target-sr-cluster
 * bearer.auth.identity.pool.id=pool-...      # sent as Confluent-Identity-Pool-Id
 * schema.registry.ssl.truststore.location, .password, .type (JKS, PKCS12 or PEM; default JKS)
 * schema.registry.ssl.keystore.location, .password, .type, schema.registry.ssl.key.password
 * </pre>
 *
 * With {@code URL} (also when neither source is set and the URL carries user info, as with Confluent's
 * serializers), the user info comes from the registry URL ({@code https://user:pass@host}) and is
 * taken out of it; with {@code SASL_INHERIT}, from the PLAIN or SCRAM {@code sasl.jaas.config} of the
 * Kafka clients.
 *
 * @param headers headers sent with every request (Authorization, Confluent Cloud's routing headers)
 * @param tls     the TLS context for https URLs; null for the JDK's default trust
 */
public record RegistryAccess(Map<String, String> headers, SSLContext tls) {

    public static final RegistryAccess NONE = new RegistryAccess(Map.of(), null);

    static final String BASIC_SOURCE = "basic.auth.credentials.source";
    static final String USER_INFO = "basic.auth.user.info";
    static final String BEARER_SOURCE = "bearer.auth.credentials.source";
    static final String BEARER_TOKEN = "bearer.auth.token";
    private static final String SSL = "schema.registry.ssl.";
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

    public RegistryAccess {
        headers = Map.copyOf(headers);
    }

    /**
     * @param firstUrl the first registry URL, for {@code basic.auth.credentials.source=URL}
     * @throws ConfigException naming the key that is missing or wrong
     */
    static RegistryAccess parse(Map<String, ?> configs, URI firstUrl) {
        Map<String, String> headers = new LinkedHashMap<>();
        String basic = text(configs, BASIC_SOURCE);
        String bearer = text(configs, BEARER_SOURCE);
        if (basic == null && bearer == null && firstUrl != null && firstUrl.getUserInfo() != null) {
            basic = "URL"; // Confluent's default source: credentials in the URL are meant to be used
        }
        if (basic != null && bearer != null) {
            throw new ConfigException(BEARER_SOURCE, bearer, "give basic or bearer credentials, not both");
        }
        if (basic != null) {
            headers.put("Authorization", "Basic " + base64(userInfo(configs, basic, firstUrl)));
        }
        if (bearer != null) {
            if (!bearer.equals("STATIC_TOKEN")) {
                throw new ConfigException(BEARER_SOURCE, bearer, "supported: STATIC_TOKEN (with " + BEARER_TOKEN + ")");
            }
            String token = required(configs, BEARER_TOKEN, "the token for " + BEARER_SOURCE + "=STATIC_TOKEN");
            headers.put("Authorization", "Bearer " + token);
            String cluster = text(configs, "bearer.auth.logical.cluster");
            if (cluster != null) {
                headers.put("target-sr-cluster", cluster);
            }
            String pool = text(configs, "bearer.auth.identity.pool.id");
            if (pool != null) {
                headers.put("Confluent-Identity-Pool-Id", pool);
            }
        }
        return new RegistryAccess(headers, tls(configs));
    }

    private static String userInfo(Map<String, ?> configs, String source, URI firstUrl) {
        switch (source) {
            case "USER_INFO" -> {
                String info = text(configs, USER_INFO);
                if (info == null) {
                    info = text(configs, "schema.registry." + USER_INFO);
                }
                if (info == null || !info.contains(":")) {
                    throw new ConfigException(
                            USER_INFO,
                            info == null ? null : "(hidden)",
                            "USER:PASSWORD is required" + " with " + BASIC_SOURCE + "=USER_INFO");
                }
                return info;
            }
            case "URL" -> {
                if (firstUrl == null || firstUrl.getUserInfo() == null) {
                    throw new ConfigException(
                            BASIC_SOURCE, source, "the registry URL has no user info (https://USER:PASSWORD@host)");
                }
                return firstUrl.getUserInfo();
            }
            case "SASL_INHERIT" -> {
                String jaas = text(configs, "sasl.jaas.config");
                Matcher user = jaas == null ? null : JAAS_USER.matcher(jaas);
                Matcher password = jaas == null ? null : JAAS_PASSWORD.matcher(jaas);
                if (user == null || !user.find() || !password.find()) {
                    throw new ConfigException(
                            BASIC_SOURCE,
                            source,
                            "needs sasl.jaas.config with username=\"...\" and password=\"...\" (PLAIN or SCRAM)");
                }
                return user.group(1) + ":" + password.group(1);
            }
            default -> throw new ConfigException(BASIC_SOURCE, source, "supported: USER_INFO, URL, SASL_INHERIT");
        }
    }

    private static SSLContext tls(Map<String, ?> configs) {
        String trustStore = text(configs, SSL + "truststore.location");
        String keyStore = text(configs, SSL + "keystore.location");
        if (trustStore == null && keyStore == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (trustStore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(configs, "truststore", trustStore));
            }
            KeyManagerFactory keys = null;
            if (keyStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = text(configs, SSL + "key.password");
                if (keyPassword == null) {
                    keyPassword = text(configs, SSL + "keystore.password");
                }
                keys.init(load(configs, "keystore", keyStore), chars(keyPassword));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(SSL + "*", null, "cannot set up TLS to the registry: " + e.getMessage());
        }
    }

    private static KeyStore load(Map<String, ?> configs, String which, String location)
            throws GeneralSecurityException {
        String type = text(configs, SSL + which + ".type");
        if ("PEM".equalsIgnoreCase(type)) {
            if (!which.equals("truststore")) {
                throw new ConfigException(
                        SSL + which + ".type",
                        type,
                        "PEM is read for the trust store only; give" + " the key store as PKCS12 or JKS");
            }
            return pemTrustStore(location);
        }
        KeyStore store = KeyStore.getInstance(type == null ? "JKS" : type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(text(configs, SSL + which + ".password")));
        } catch (IOException e) {
            throw new ConfigException(SSL + which + ".location", location, "cannot read it: " + e.getMessage());
        }
        return store;
    }

    /** The certificates of a PEM file (a CA bundle), as a trust store. */
    private static KeyStore pemTrustStore(String location) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(null, null);
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new ConfigException(SSL + "truststore.location", location, "no certificate in it");
            }
        } catch (IOException e) {
            throw new ConfigException(SSL + "truststore.location", location, "cannot read it: " + e.getMessage());
        }
        return store;
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    private static String base64(String userInfo) {
        return Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(Map<String, ?> configs, String key, String what) {
        String value = text(configs, key);
        if (value == null) {
            throw new ConfigException(key, null, "required: " + what);
        }
        return value;
    }

    private static String text(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return null;
        }
        String text = value instanceof org.apache.kafka.common.config.types.Password p ? p.value() : value.toString();
        return text.isBlank() ? null : text.trim();
    }

    /** The URL without its user info: credentials go in a header, never in a logged URL. */
    static URI withoutUserInfo(URI url) {
        if (url.getUserInfo() == null) {
            return url;
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), null);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "(hidden)", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "RegistryAccess[headers=" + headers.keySet() + ", tls=" + (tls != null) + "]";
    }
}
