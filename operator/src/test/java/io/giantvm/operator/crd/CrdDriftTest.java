package io.giantvm.operator.crd;

import io.giantvm.operator.support.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD in crds/ and in the chart must be exactly what the fabric8 generator makes from the Java
 * model in this build; otherwise someone changed the model and forgot to refresh them.
 */
class CrdDriftTest {
    private static final String FILE = "giantvms.giantvm.io-v1.yml";
    private static final String REFRESH = "the committed CRD drifted from the Java model: run "
            + "./mvnw -pl operator -Pupdate-crds process-classes and commit crds/ and helm/giantvm-operator/crds/";

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        String generated = Files.readString(generatedDir().resolve(FILE));
        assertThat(Files.readString(RepoFiles.root().resolve("crds").resolve(FILE))).as(REFRESH).isEqualTo(generated);
    }

    @Test
    void chartCrdMatchesTheGeneratedOne() throws IOException {
        String generated = Files.readString(generatedDir().resolve(FILE));
        assertThat(Files.readString(RepoFiles.chart().resolve("crds").resolve(FILE))).as(REFRESH).isEqualTo(generated);
    }

    @Test
    void generatedCrdHasTheAgreedShape() throws IOException {
        String crd = Files.readString(generatedDir().resolve(FILE));
        assertThat(crd).contains("group: \"giantvm.io\"", "kind: \"GiantVM\"", "plural: \"giantvms\"",
                "- \"gvm\"", "scope: \"Namespaced\"", "name: \"v1alpha1\"", "status: {}",
                "name: \"Nodes\"", "name: \"vCPUs\"", "name: \"Memory\"", "name: \"Phase\"", "name: \"Age\"",
                "x-kubernetes-validations");
    }

    private static Path generatedDir() {
        String dir = System.getProperty("giantvm.crd.generated.dir");
        assertThat(dir).as("set by the pom: where crd-generator-maven-plugin writes").isNotNull();
        return Path.of(dir);
    }
}
