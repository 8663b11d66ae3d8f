package io.giantvm.engine.kvm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** One {@code kvm_cpuid_entry2}: the CPUID answer for a (function, index) pair. */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    private static final long FUNCTION = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "function");
    private static final long INDEX = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "index");
    private static final long FLAGS = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "flags");
    private static final long EAX = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "eax");
    private static final long EBX = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "ebx");
    private static final long ECX = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "ecx");
    private static final long EDX = KvmLayouts.offset(KvmLayouts.CPUID_ENTRY2, "edx");

    static CpuidEntry read(MemorySegment s) {
        return new CpuidEntry(s.get(ValueLayout.JAVA_INT, FUNCTION), s.get(ValueLayout.JAVA_INT, INDEX),
                s.get(ValueLayout.JAVA_INT, FLAGS), s.get(ValueLayout.JAVA_INT, EAX),
                s.get(ValueLayout.JAVA_INT, EBX), s.get(ValueLayout.JAVA_INT, ECX),
                s.get(ValueLayout.JAVA_INT, EDX));
    }

    void write(MemorySegment s) {
        s.fill((byte) 0);
        s.set(ValueLayout.JAVA_INT, FUNCTION, function);
        s.set(ValueLayout.JAVA_INT, INDEX, index);
        s.set(ValueLayout.JAVA_INT, FLAGS, flags);
        s.set(ValueLayout.JAVA_INT, EAX, eax);
        s.set(ValueLayout.JAVA_INT, EBX, ebx);
        s.set(ValueLayout.JAVA_INT, ECX, ecx);
        s.set(ValueLayout.JAVA_INT, EDX, edx);
    }

    public CpuidEntry withEax(int v) {
        return new CpuidEntry(function, index, flags, v, ebx, ecx, edx);
    }

    public CpuidEntry withEbx(int v) {
        return new CpuidEntry(function, index, flags, eax, v, ecx, edx);
    }

    public CpuidEntry withEcx(int v) {
        return new CpuidEntry(function, index, flags, eax, ebx, v, edx);
    }

    public CpuidEntry withEdx(int v) {
        return new CpuidEntry(function, index, flags, eax, ebx, ecx, v);
    }
}
