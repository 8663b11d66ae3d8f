package io.giantvm.engine.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A {@code kvm_regs} buffer: the general-purpose registers, RIP and RFLAGS of one vCPU. */
public final class Registers {
    private static final long RAX = KvmLayouts.offset(KvmLayouts.REGS, "rax");
    private static final long RBX = KvmLayouts.offset(KvmLayouts.REGS, "rbx");
    private static final long RSP = KvmLayouts.offset(KvmLayouts.REGS, "rsp");
    private static final long RSI = KvmLayouts.offset(KvmLayouts.REGS, "rsi");
    private static final long RIP = KvmLayouts.offset(KvmLayouts.REGS, "rip");
    private static final long RFLAGS = KvmLayouts.offset(KvmLayouts.REGS, "rflags");

    /** RFLAGS bit 1 is reserved and always set. */
    public static final long RFLAGS_RESERVED = 0x2;

    final MemorySegment buffer;

    public Registers(Arena arena) {
        buffer = arena.allocate(KvmLayouts.REGS);
    }

    public long rax() {
        return buffer.get(ValueLayout.JAVA_LONG, RAX);
    }

    public Registers rax(long v) {
        buffer.set(ValueLayout.JAVA_LONG, RAX, v);
        return this;
    }

    public long rbx() {
        return buffer.get(ValueLayout.JAVA_LONG, RBX);
    }

    public Registers rbx(long v) {
        buffer.set(ValueLayout.JAVA_LONG, RBX, v);
        return this;
    }

    public long rsp() {
        return buffer.get(ValueLayout.JAVA_LONG, RSP);
    }

    /** RSI: the zero page, in the Linux 64-bit boot protocol. */
    public Registers rsi(long v) {
        buffer.set(ValueLayout.JAVA_LONG, RSI, v);
        return this;
    }

    public long rip() {
        return buffer.get(ValueLayout.JAVA_LONG, RIP);
    }

    public Registers rip(long v) {
        buffer.set(ValueLayout.JAVA_LONG, RIP, v);
        return this;
    }

    public long rflags() {
        return buffer.get(ValueLayout.JAVA_LONG, RFLAGS);
    }

    public Registers rflags(long v) {
        buffer.set(ValueLayout.JAVA_LONG, RFLAGS, v);
        return this;
    }

    public Registers clear() {
        buffer.fill((byte) 0);
        return rflags(RFLAGS_RESERVED);
    }
}
