package io.giantvm.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an object against a CRD's structural schema the way the API server does for the parts
 * that matter here: types, required fields, enums, numeric ranges, patterns, and unknown fields
 * (the API server prunes them, which for a typo means "silently ignored"; we call that an error).
 * CEL rules are evaluated by {@link CelRules} (and by a real API server in KubeApiServerIT).
 */
final class StructuralSchemaValidator {
    private StructuralSchemaValidator() {}

    static List<String> validate(JsonNode value, JSONSchemaProps schema) {
        List<String> errors = new ArrayList<>();
        check(value, schema, "", errors);
        return errors;
    }

    private static void check(JsonNode v, JSONSchemaProps s, String path, List<String> errors) {
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            if (!v.isIntegralNumber() && !v.isTextual()) {
                errors.add(path + ": must be an integer or a string");
            }
            return;
        }
        String type = s.getType();
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> object(v, s, path, errors);
            case "array" -> {
                if (!v.isArray()) {
                    errors.add(path + ": must be an array");
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    check(v.get(i), s.getItems().getSchema(), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    errors.add(path + ": must be a string");
                    return;
                }
                if (s.getEnum() != null && !s.getEnum().isEmpty()
                        && s.getEnum().stream().noneMatch(e -> e.asText().equals(v.asText()))) {
                    errors.add(path + ": '" + v.asText() + "' is not one of " + s.getEnum());
                }
                if (s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(v.asText()).find()) {
                    errors.add(path + ": '" + v.asText() + "' does not match " + s.getPattern());
                }
            }
            case "integer" -> {
                if (!v.isIntegralNumber()) {
                    errors.add(path + ": must be an integer");
                    return;
                }
                if (s.getMinimum() != null && v.asDouble() < s.getMinimum()) {
                    errors.add(path + ": " + v.asLong() + " is below the minimum " + s.getMinimum().longValue());
                }
                if (s.getMaximum() != null && v.asDouble() > s.getMaximum()) {
                    errors.add(path + ": " + v.asLong() + " is above the maximum " + s.getMaximum().longValue());
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    errors.add(path + ": must be a boolean");
                }
            }
            default -> { }
        }
    }

    private static void object(JsonNode v, JSONSchemaProps s, String path, List<String> errors) {
        if (!v.isObject()) {
            errors.add(path + ": must be an object");
            return;
        }
        if (s.getRequired() != null) {
            for (String r : s.getRequired()) {
                if (!v.has(r)) {
                    errors.add(path + "." + r + ": required");
                }
            }
        }
        Map<String, JSONSchemaProps> props = s.getProperties();
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String at = path + "." + f.getKey();
            if (props != null && props.containsKey(f.getKey())) {
                check(f.getValue(), props.get(f.getKey()), at, errors);
            } else if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
                check(f.getValue(), s.getAdditionalProperties().getSchema(), at, errors);
            } else if (!Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())) {
                errors.add(at + ": unknown field");
            }
        }
    }
}
