package io.giantvm.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.giantvm.operator.engine.EngineReport;
import io.giantvm.operator.resources.HomeRanges;

/**
 * Everything observed about hypervisor node {@code index}; {@code pod} (and so health and report)
 * is null while the StatefulSet has not created it.
 */
public record NodeSlot(int index, Pod pod, PodHealth health, EngineReport report, HomeRanges.Range home) {}
