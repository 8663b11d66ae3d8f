package io.giantvm.operator.engine;

import io.giantvm.control.v1.NodeStatus;

/** What one engine's control API said: its status, or why it could not be asked. */
public record EngineReport(NodeStatus status, String error) {
    public static EngineReport of(NodeStatus status) {
        return new EngineReport(status, null);
    }

    public static EngineReport failed(String error) {
        return new EngineReport(null, error);
    }

    public boolean reachable() {
        return status != null;
    }
}
