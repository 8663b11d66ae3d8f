package io.giantvm.operator.resources;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short content hashes used as label values (at most 63 characters, so 16 hex digits). */
public final class Hashes {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Hashes() {}

    public static String of(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Hash of an object's JSON form; fabric8's models serialize fields in a fixed order. */
    public static String ofObject(Object o) {
        return of(JSON.asJson(o));
    }
}
