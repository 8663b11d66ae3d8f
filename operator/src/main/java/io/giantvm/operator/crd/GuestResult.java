package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** How the guest ended, as its I/O node's engine reported it over the control API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestResult {
    @JsonPropertyDescription("True when the guest exited with status 0 and its results checked out.")
    public Boolean succeeded;

    @JsonPropertyDescription("The guest's exit status (0: success).")
    public Integer exitStatus;

    @JsonPropertyDescription("One line from the engine: what the guest reported (e.g. the mutex counter) or why it failed.")
    public String detail;

    @JsonPropertyDescription("The node that reported the result.")
    public Integer node;

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestResult r && Objects.equals(succeeded, r.succeeded)
                && Objects.equals(exitStatus, r.exitStatus) && Objects.equals(detail, r.detail)
                && Objects.equals(node, r.node);
    }

    @Override
    public int hashCode() {
        return Objects.hash(succeeded, exitStatus, detail, node);
    }

    @Override
    public String toString() {
        return "succeeded=" + succeeded + " exitStatus=" + exitStatus + " detail=" + detail;
    }
}
