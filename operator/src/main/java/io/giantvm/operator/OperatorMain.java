package io.giantvm.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.giantvm.operator.engine.EngineStatusProbe;
import io.giantvm.operator.engine.GrpcEngineStatusProbe;
import io.giantvm.operator.runtime.HttpEndpoints;
import io.giantvm.operator.runtime.JsonLogFormatter;
import io.giantvm.operator.runtime.OperatorRuntime;
import io.giantvm.operator.runtime.OperatorSettings;
import io.giantvm.operator.runtime.ReconcileMetrics;
import io.javaoperatorsdk.operator.Operator;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** The operator process: configuration from the environment (see OperatorSettings), JSON logs on stderr. */
public final class OperatorMain {
    private OperatorMain() {}

    public static void main(String[] args) {
        installJsonLogging();
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("giantvm-operator: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        EngineStatusProbe engines = settings.queryEngines() ? GrpcEngineStatusProbe.podIp() : EngineStatusProbe.DISABLED;
        ReconcileMetrics metrics = new ReconcileMetrics();
        Operator operator = OperatorRuntime.create(client, settings, engines, metrics, true);
        HttpEndpoints http = HttpEndpoints.start(new InetSocketAddress(settings.httpPort()),
                () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
                metrics::prometheusText);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            engines.close();
            client.close();
        }, "shutdown-endpoints"));
        operator.installShutdownHook(Duration.ofSeconds(10));
        operator.start();
        Logger.getLogger(OperatorMain.class.getName()).info(() -> "giantvm-operator started; namespaces "
                + (settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces())
                + ", leader election " + settings.leaderElection() + ", http port " + http.port());
    }

    private static void installJsonLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        handler.setFormatter(new JsonLogFormatter());
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }
}
