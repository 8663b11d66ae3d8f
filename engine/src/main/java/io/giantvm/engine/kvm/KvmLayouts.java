package io.giantvm.engine.kvm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The x86-64 KVM structures, declared once. Field names follow {@code <linux/kvm.h>} and
 * {@code <asm/kvm.h>} so that a test can check each offset against the C compiler's.
 */
public final class KvmLayouts {
    public static final StructLayout USERSPACE_MEMORY_REGION = structLayout(
            JAVA_INT.withName("slot"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("guest_phys_addr"),
            JAVA_LONG.withName("memory_size"),
            JAVA_LONG.withName("userspace_addr"));

    public static final StructLayout REGS = structLayout(
            JAVA_LONG.withName("rax"), JAVA_LONG.withName("rbx"), JAVA_LONG.withName("rcx"),
            JAVA_LONG.withName("rdx"), JAVA_LONG.withName("rsi"), JAVA_LONG.withName("rdi"),
            JAVA_LONG.withName("rsp"), JAVA_LONG.withName("rbp"),
            JAVA_LONG.withName("r8"), JAVA_LONG.withName("r9"), JAVA_LONG.withName("r10"),
            JAVA_LONG.withName("r11"), JAVA_LONG.withName("r12"), JAVA_LONG.withName("r13"),
            JAVA_LONG.withName("r14"), JAVA_LONG.withName("r15"),
            JAVA_LONG.withName("rip"), JAVA_LONG.withName("rflags"));

    public static final StructLayout SEGMENT = structLayout(
            JAVA_LONG.withName("base"),
            JAVA_INT.withName("limit"),
            JAVA_SHORT.withName("selector"),
            JAVA_BYTE.withName("type"),
            JAVA_BYTE.withName("present"),
            JAVA_BYTE.withName("dpl"),
            JAVA_BYTE.withName("db"),
            JAVA_BYTE.withName("s"),
            JAVA_BYTE.withName("l"),
            JAVA_BYTE.withName("g"),
            JAVA_BYTE.withName("avl"),
            JAVA_BYTE.withName("unusable"),
            JAVA_BYTE.withName("padding"));

    public static final StructLayout DTABLE = structLayout(
            JAVA_LONG.withName("base"),
            JAVA_SHORT.withName("limit"),
            sequenceLayout(3, JAVA_SHORT).withName("padding"));

    public static final StructLayout SREGS = structLayout(
            SEGMENT.withName("cs"), SEGMENT.withName("ds"), SEGMENT.withName("es"),
            SEGMENT.withName("fs"), SEGMENT.withName("gs"), SEGMENT.withName("ss"),
            SEGMENT.withName("tr"), SEGMENT.withName("ldt"),
            DTABLE.withName("gdt"), DTABLE.withName("idt"),
            JAVA_LONG.withName("cr0"), JAVA_LONG.withName("cr2"), JAVA_LONG.withName("cr3"),
            JAVA_LONG.withName("cr4"), JAVA_LONG.withName("cr8"),
            JAVA_LONG.withName("efer"), JAVA_LONG.withName("apic_base"),
            sequenceLayout(4, JAVA_LONG).withName("interrupt_bitmap"));

    public static final StructLayout FPU = structLayout(
            sequenceLayout(128, JAVA_BYTE).withName("fpr"),
            JAVA_SHORT.withName("fcw"),
            JAVA_SHORT.withName("fsw"),
            JAVA_BYTE.withName("ftwx"),
            JAVA_BYTE.withName("pad1"),
            JAVA_SHORT.withName("last_opcode"),
            JAVA_LONG.withName("last_ip"),
            JAVA_LONG.withName("last_dp"),
            sequenceLayout(256, JAVA_BYTE).withName("xmm"),
            JAVA_INT.withName("mxcsr"),
            JAVA_INT.withName("pad2"));

    public static final StructLayout CPUID_ENTRY2 = structLayout(
            JAVA_INT.withName("function"),
            JAVA_INT.withName("index"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("eax"),
            JAVA_INT.withName("ebx"),
            JAVA_INT.withName("ecx"),
            JAVA_INT.withName("edx"),
            sequenceLayout(3, JAVA_INT).withName("padding"));

    /** struct kvm_cpuid2 without its flexible array of entries. */
    public static final StructLayout CPUID2_HEADER = structLayout(
            JAVA_INT.withName("nent"),
            JAVA_INT.withName("padding"));

    public static final StructLayout MSR_ENTRY = structLayout(
            JAVA_INT.withName("index"),
            JAVA_INT.withName("reserved"),
            JAVA_LONG.withName("data"));

    /** struct kvm_msrs without its flexible array of entries. */
    public static final StructLayout MSRS_HEADER = structLayout(
            JAVA_INT.withName("nmsrs"),
            JAVA_INT.withName("pad"));

    public static final StructLayout INTERRUPT = structLayout(JAVA_INT.withName("irq"));

    /** struct kvm_clock_data: the VM's kvmclock in nanoseconds (KVM_GET_CLOCK / KVM_SET_CLOCK). */
    public static final StructLayout CLOCK_DATA = structLayout(
            JAVA_LONG.withName("clock"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("pad0"),
            JAVA_LONG.withName("realtime"),
            JAVA_LONG.withName("host_tsc"),
            sequenceLayout(4, JAVA_INT).withName("pad"));

    /** struct kvm_signal_mask without its flexible array of mask bytes. */
    public static final StructLayout SIGNAL_MASK_HEADER = structLayout(JAVA_INT.withName("len"));

    // kvm_run: the fixed head, then a 256-byte union selected by exit_reason.
    private static final StructLayout RUN_IO = structLayout(
            JAVA_BYTE.withName("direction"),
            JAVA_BYTE.withName("size"),
            JAVA_SHORT.withName("port"),
            JAVA_INT.withName("count"),
            JAVA_LONG.withName("data_offset"));

    private static final StructLayout RUN_MMIO = structLayout(
            JAVA_LONG.withName("phys_addr"),
            sequenceLayout(8, JAVA_BYTE).withName("data"),
            JAVA_INT.withName("len"),
            JAVA_BYTE.withName("is_write"),
            paddingLayout(3));

    private static final StructLayout RUN_FAIL_ENTRY = structLayout(
            JAVA_LONG.withName("hardware_entry_failure_reason"),
            JAVA_INT.withName("cpu"),
            paddingLayout(4));

    private static final StructLayout RUN_INTERNAL = structLayout(
            JAVA_INT.withName("suberror"),
            JAVA_INT.withName("ndata"),
            sequenceLayout(16, JAVA_LONG).withName("data"));

    private static final StructLayout RUN_EX = structLayout(
            JAVA_INT.withName("exception"),
            JAVA_INT.withName("error_code"));

    private static final StructLayout RUN_SYSTEM_EVENT = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("ndata"),
            sequenceLayout(16, JAVA_LONG).withName("data"));

    private static final StructLayout RUN_HW = structLayout(JAVA_LONG.withName("hardware_exit_reason"));

    private static final UnionLayout RUN_EXIT = MemoryLayout.unionLayout(
            RUN_HW.withName("hw"),
            RUN_FAIL_ENTRY.withName("fail_entry"),
            RUN_EX.withName("ex"),
            RUN_IO.withName("io"),
            RUN_MMIO.withName("mmio"),
            RUN_INTERNAL.withName("internal"),
            RUN_SYSTEM_EVENT.withName("system_event"),
            sequenceLayout(256, JAVA_BYTE).withName("padding"));

    public static final StructLayout RUN = structLayout(
            JAVA_BYTE.withName("request_interrupt_window"),
            JAVA_BYTE.withName("immediate_exit"),
            sequenceLayout(6, JAVA_BYTE).withName("padding1"),
            JAVA_INT.withName("exit_reason"),
            JAVA_BYTE.withName("ready_for_interrupt_injection"),
            JAVA_BYTE.withName("if_flag"),
            JAVA_SHORT.withName("flags"),
            JAVA_LONG.withName("cr8"),
            JAVA_LONG.withName("apic_base"),
            RUN_EXIT.withName("exit"));

    private KvmLayouts() {}

    /** Byte offset of a (possibly nested) field, e.g. {@code offset(RUN, "exit", "io", "port")}. */
    public static long offset(MemoryLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }
}
