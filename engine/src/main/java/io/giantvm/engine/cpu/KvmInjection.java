package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.KvmRun;
import io.giantvm.engine.kvm.VcpuFd;

/** {@link InterruptInjection.Kvm} on a real vCPU: its kvm_run page and its fd's injection ioctls. */
record KvmInjection(VcpuFd fd, KvmRun run) implements InterruptInjection.Kvm {
    @Override
    public boolean readyForInjection() {
        return run.readyForInterruptInjection();
    }

    @Override
    public boolean interruptsEnabled() {
        return run.interruptsEnabled();
    }

    @Override
    public void requestInterruptWindow(boolean on) {
        run.requestInterruptWindow(on);
    }

    @Override
    public void interrupt(int vector) {
        fd.interrupt(vector);
    }

    @Override
    public void nmi() {
        fd.nmi();
    }
}
