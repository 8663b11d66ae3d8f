package io.giantvm.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths in the repository and multi-document YAML parsing for the chart, CRD and example tests. */
public final class RepoFiles {
    public static final KubernetesSerialization YAML = new KubernetesSerialization();

    private RepoFiles() {}

    public static Path root() {
        return Path.of(System.getProperty("giantvm.repo.root", "..")).toAbsolutePath().normalize();
    }

    public static Path chart() {
        return root().resolve("helm/giantvm-operator");
    }

    /** Every Kubernetes object in a stream of YAML documents (comment-only documents skipped). */
    public static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            boolean empty = doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) {
                out.add(YAML.unmarshal(doc, HasMetadata.class));
            }
        }
        return out;
    }
}
