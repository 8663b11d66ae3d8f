package io.giantvm.operator.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings from the environment, JSON log lines and the HTTP endpoints (over real loopback HTTP). */
class OperatorRuntimePiecesTest {

    @Test
    void settingsReadTheChartsVariables() {
        OperatorSettings s = OperatorSettings.fromEnv(Map.of(
                "GIANTVM_WATCH_NAMESPACES", " vms-b, vms-a ,",
                "GIANTVM_KVM_NODE_SELECTOR", "feature.node.kubernetes.io/cpu-cpuid.VMX=true,zone=",
                "GIANTVM_LEADER_ELECTION", "TRUE",
                "GIANTVM_HTTP_PORT", "9090",
                "POD_NAMESPACE", "giantvm-system"));
        assertThat(s.watchNamespaces()).containsExactlyInAnyOrder("vms-a", "vms-b");
        assertThat(s.kvmNodeSelector()).containsEntry("feature.node.kubernetes.io/cpu-cpuid.VMX", "true")
                .containsEntry("zone", "");
        assertThat(s.leaderElection()).isTrue();
        assertThat(s.httpPort()).isEqualTo(9090);
        assertThat(s.leaseNamespace()).isEqualTo("giantvm-system");
        assertThat(OperatorSettings.defaults().kvmResource()).isEqualTo("devices.kubevirt.io/kvm");
        assertThat(OperatorSettings.defaults().watchNamespaces()).isEmpty();
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("GIANTVM_CHECK_NODES", "yes")))
                .hasMessage("GIANTVM_CHECK_NODES: 'yes' is not true or false");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("GIANTVM_HTTP_PORT", "70000")))
                .hasMessage("GIANTVM_HTTP_PORT: '70000' is not a port in 1..65535");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("GIANTVM_KVM_NODE_SELECTOR", "novalue")))
                .hasMessage("GIANTVM_KVM_NODE_SELECTOR: 'novalue' is not key=value");
    }

    @Test
    void logLinesAreOneJsonObjectEach() {
        LogRecord r = new LogRecord(Level.WARNING, "vm \"demo\"\nphase Running");
        r.setLoggerName("io.giantvm.test");
        String line = new JsonLogFormatter().format(r);
        assertThat(line).endsWith("}\n").doesNotContain("\nphase");
        assertThat(line).contains("\"level\":\"WARNING\"", "\"logger\":\"io.giantvm.test\"",
                "\"message\":\"vm \\\"demo\\\"\\nphase Running\"");
    }

    @Test
    void healthReadinessAndMetricsAnswerOverHttp() throws IOException, InterruptedException {
        AtomicBoolean ready = new AtomicBoolean(false);
        ReconcileMetrics metrics = new ReconcileMetrics();
        metrics.reconcileCustomResource(null, null, Map.of());
        try (HttpEndpoints http = HttpEndpoints.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ready::get, metrics::prometheusText);
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            assertThat(get(client, http, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(client, http, "/readyz").statusCode()).isEqualTo(503);
            ready.set(true);
            assertThat(get(client, http, "/readyz").statusCode()).isEqualTo(200);
            HttpResponse<String> m = get(client, http, "/metrics");
            assertThat(m.body()).contains("giantvm_operator_reconciliations_started_total 1",
                    "# TYPE giantvm_operator_reconciliations_failed_total counter");
        }
    }

    private static HttpResponse<String> get(HttpClient client, HttpEndpoints http, String path)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
