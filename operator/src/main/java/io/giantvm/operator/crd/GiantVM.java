package io.giantvm.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.giantvm.operator.reconciler.SpecValidator;
import io.giantvm.operator.resources.EngineLayout;

/** One virtual machine spanning several Kubernetes nodes: one hypervisor pod per node. */
@Group(GiantVM.GROUP)
@Version(GiantVM.VERSION)
@Kind("GiantVM")
@Plural("giantvms")
@Singular("giantvm")
@ShortNames("gvm")
@Categories("all")
@ValidationRule(value = "self.metadata.name.size() <= " + EngineLayout.MAX_VM_NAME
        + " && self.metadata.name.matches('" + SpecValidator.NAME_PATTERN + "')",
        message = "the name must be at most " + EngineLayout.MAX_VM_NAME + " characters of a-z, 0-9 and '-',"
                + " start with a letter and end with a letter or digit (it names the mesh Service)")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = Type.STRING, getDescription = "every hypervisor ready, the mesh complete and the guest running")
@AdditionalPrinterColumn(name = "Restarts", jsonPath = ".status.restarts", type = Type.INTEGER,
        getDescription = "whole-VM restarts (a node died, the guest stopped, the spec changed)")
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodesReady", type = Type.STRING,
        getDescription = "ready / desired hypervisor nodes")
@AdditionalPrinterColumn(name = "vCPUs", jsonPath = ".status.vcpus", type = Type.INTEGER,
        getDescription = "vCPUs on ready nodes")
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".status.memory", type = Type.STRING,
        getDescription = "guest RAM")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class GiantVM extends CustomResource<GiantVMSpec, GiantVMStatus> implements Namespaced {
    public static final String GROUP = "giantvm.io";
    public static final String VERSION = "v1alpha1";
}
