package io.giantvm.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short content hashes used as label values (at most 63 characters, so 16 hex digits). */
public final class Hashes {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /**
     * Map entries and bean properties in sorted order: a hash that decides whether running guests are
     * restarted must not depend on a map's iteration order, which for {@code Map.of}/{@code Map.copyOf}
     * differs from one JVM to the next.
     */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private Hashes() {}

    public static String of(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Hash of an object's JSON with map keys and properties sorted: the same inputs give the same hash in every JVM. */
    public static String ofCanonical(Object o) {
        try {
            return of(CANONICAL.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + o.getClass().getName() + " for hashing", e);
        }
    }

    /** Hash of an object's JSON form; fabric8's models serialize fields in a fixed order. */
    public static String ofObject(Object o) {
        return of(JSON.asJson(o));
    }
}
