package io.giantvm.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD's {@code x-kubernetes-validations} rules on an object the way the API server does for the
 * parts this CRD uses: schema defaults applied first, then every rule with {@code self} bound to the value at
 * its place in the schema (rules of absent fields do not run). Standard CEL only (has, all, exists_one, in,
 * size, matches, startsWith): Kubernetes' own CEL libraries (quantity, url, ...) are not available here, and
 * a rule that needs them fails to compile, which the tests then report.
 */
final class CelRules {
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();

    private CelRules() {}

    /** The messages of the rules {@code object} breaks, each prefixed with the path of the value it judged. */
    static List<String> violations(JsonNode object, JSONSchemaProps schema) {
        JsonNode defaulted = object.deepCopy();
        applyDefaults(defaulted, schema);
        List<String> out = new ArrayList<>();
        check(defaulted, schema, "", out);
        return out;
    }

    /** Every rule in the schema, for the compile check. */
    static List<String> allRules(JSONSchemaProps schema) {
        List<String> rules = new ArrayList<>();
        collect(schema, rules);
        return rules;
    }

    /** Compiles a rule; a rule that does not compile is a broken CRD. */
    static CelAbstractSyntaxTree compile(String rule) {
        try {
            return CEL.compile(rule).getAst();
        } catch (CelValidationException e) {
            throw new AssertionError("CEL rule does not compile: " + rule + ": " + e.getMessage(), e);
        }
    }

    private static void collect(JSONSchemaProps s, List<String> rules) {
        if (s.getXKubernetesValidations() != null) {
            s.getXKubernetesValidations().forEach(r -> rules.add(r.getRule()));
        }
        if (s.getProperties() != null) {
            s.getProperties().values().forEach(p -> collect(p, rules));
        }
        if (s.getItems() != null && s.getItems().getSchema() != null) {
            collect(s.getItems().getSchema(), rules);
        }
    }

    private static void applyDefaults(JsonNode v, JSONSchemaProps s) {
        if (v.isObject() && s.getProperties() != null) {
            ObjectNode o = (ObjectNode) v;
            for (Map.Entry<String, JSONSchemaProps> p : s.getProperties().entrySet()) {
                if (!o.has(p.getKey()) && p.getValue().getDefault() != null) {
                    o.set(p.getKey(), p.getValue().getDefault().deepCopy());
                }
                if (o.has(p.getKey())) {
                    applyDefaults(o.get(p.getKey()), p.getValue());
                }
            }
        } else if (v.isArray() && s.getItems() != null && s.getItems().getSchema() != null) {
            v.forEach(e -> applyDefaults(e, s.getItems().getSchema()));
        }
    }

    private static void check(JsonNode v, JSONSchemaProps s, String path, List<String> out) {
        if (s.getXKubernetesValidations() != null) {
            for (ValidationRule r : s.getXKubernetesValidations()) {
                if (!holds(r.getRule(), v)) {
                    out.add((path.isEmpty() ? "<root>" : path) + ": " + r.getMessage());
                }
            }
        }
        if (v.isObject() && s.getProperties() != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JSONSchemaProps p = s.getProperties().get(f.getKey());
                if (p != null) {
                    check(f.getValue(), p, path + "." + f.getKey(), out);
                }
            }
        } else if (v.isArray() && s.getItems() != null && s.getItems().getSchema() != null) {
            for (int i = 0; i < v.size(); i++) {
                check(v.get(i), s.getItems().getSchema(), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean holds(String rule, JsonNode self) {
        try {
            Object result = CEL.createProgram(compile(rule)).eval(Map.of("self", cel(self)));
            if (!(result instanceof Boolean b)) {
                throw new AssertionError("CEL rule " + rule + " gave " + result + ", not a boolean");
            }
            return b;
        } catch (CelEvaluationException e) {
            // The API server reports an evaluation error as a failed rule too.
            return false;
        }
    }

    /** JSON as CEL sees it: int -> Long, number -> Double, object -> map, array -> list. */
    private static Object cel(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            v.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    m.put(f.getKey(), cel(f.getValue()));
                }
            });
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(e -> l.add(cel(e)));
            return l;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }
}
