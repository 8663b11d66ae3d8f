/* Prints the KVM ABI facts the engine hard-codes, as the kernel headers define them. */
#include <stddef.h>
#include <stdio.h>
#include <linux/kvm.h>

#define IOCTL(name) printf("ioctl %s %llu\n", #name, (unsigned long long)(name))
#define SIZE(type) printf("size %s %zu\n", #type, sizeof(struct type))
#define OFF(type, field, label) printf("offset %s.%s %zu\n", #type, label, offsetof(struct type, field))

int main(void) {
    IOCTL(KVM_GET_API_VERSION); IOCTL(KVM_CREATE_VM); IOCTL(KVM_CHECK_EXTENSION);
    IOCTL(KVM_GET_VCPU_MMAP_SIZE); IOCTL(KVM_GET_SUPPORTED_CPUID); IOCTL(KVM_CREATE_VCPU);
    IOCTL(KVM_SET_USER_MEMORY_REGION); IOCTL(KVM_SET_TSS_ADDR); IOCTL(KVM_SET_IDENTITY_MAP_ADDR);
    IOCTL(KVM_RUN); IOCTL(KVM_GET_REGS); IOCTL(KVM_SET_REGS); IOCTL(KVM_GET_SREGS);
    IOCTL(KVM_SET_SREGS); IOCTL(KVM_INTERRUPT); IOCTL(KVM_GET_MSRS); IOCTL(KVM_SET_MSRS);
    IOCTL(KVM_SET_SIGNAL_MASK); IOCTL(KVM_GET_FPU); IOCTL(KVM_SET_FPU); IOCTL(KVM_SET_CPUID2);
    IOCTL(KVM_GET_TSC_KHZ); IOCTL(KVM_SET_TSC_KHZ); IOCTL(KVM_NMI);
    IOCTL(KVM_SET_CLOCK); IOCTL(KVM_GET_CLOCK);
    printf("const KVM_CAP_NR_VCPUS %d\n", KVM_CAP_NR_VCPUS);
    printf("const KVM_CAP_MAX_VCPUS %d\n", KVM_CAP_MAX_VCPUS);
    printf("const KVM_CAP_IMMEDIATE_EXIT %d\n", KVM_CAP_IMMEDIATE_EXIT);
    printf("const KVM_API_VERSION %d\n", KVM_API_VERSION);

    SIZE(kvm_userspace_memory_region); SIZE(kvm_regs); SIZE(kvm_segment); SIZE(kvm_dtable);
    SIZE(kvm_sregs); SIZE(kvm_fpu); SIZE(kvm_cpuid_entry2); SIZE(kvm_cpuid2); SIZE(kvm_msr_entry);
    SIZE(kvm_msrs); SIZE(kvm_interrupt); SIZE(kvm_signal_mask); SIZE(kvm_clock_data);
    OFF(kvm_clock_data, realtime, "realtime"); OFF(kvm_clock_data, host_tsc, "host_tsc");

    OFF(kvm_userspace_memory_region, userspace_addr, "userspace_addr");
    OFF(kvm_regs, rip, "rip"); OFF(kvm_regs, rflags, "rflags"); OFF(kvm_regs, r8, "r8");
    OFF(kvm_segment, selector, "selector"); OFF(kvm_segment, unusable, "unusable");
    OFF(kvm_sregs, tr, "tr"); OFF(kvm_sregs, gdt, "gdt"); OFF(kvm_sregs, idt, "idt");
    OFF(kvm_sregs, cr0, "cr0"); OFF(kvm_sregs, efer, "efer"); OFF(kvm_sregs, apic_base, "apic_base");
    OFF(kvm_sregs, interrupt_bitmap, "interrupt_bitmap");
    OFF(kvm_fpu, last_ip, "last_ip"); OFF(kvm_fpu, xmm, "xmm"); OFF(kvm_fpu, mxcsr, "mxcsr");
    OFF(kvm_cpuid_entry2, edx, "edx");
    OFF(kvm_run, exit_reason, "exit_reason");
    OFF(kvm_run, ready_for_interrupt_injection, "ready_for_interrupt_injection");
    OFF(kvm_run, if_flag, "if_flag"); OFF(kvm_run, cr8, "cr8"); OFF(kvm_run, apic_base, "apic_base");
    OFF(kvm_run, io.direction, "exit.io.direction"); OFF(kvm_run, io.size, "exit.io.size");
    OFF(kvm_run, io.port, "exit.io.port"); OFF(kvm_run, io.count, "exit.io.count");
    OFF(kvm_run, io.data_offset, "exit.io.data_offset");
    OFF(kvm_run, mmio.phys_addr, "exit.mmio.phys_addr"); OFF(kvm_run, mmio.data, "exit.mmio.data");
    OFF(kvm_run, mmio.len, "exit.mmio.len"); OFF(kvm_run, mmio.is_write, "exit.mmio.is_write");
    OFF(kvm_run, fail_entry.hardware_entry_failure_reason, "exit.fail_entry.hardware_entry_failure_reason");
    OFF(kvm_run, internal.suberror, "exit.internal.suberror");
    OFF(kvm_run, internal.ndata, "exit.internal.ndata");
    OFF(kvm_run, internal.data, "exit.internal.data");
    OFF(kvm_run, ex.exception, "exit.ex.exception");
    OFF(kvm_run, system_event.type, "exit.system_event.type");
    printf("exit KVM_EXIT_IO %d\nexit KVM_EXIT_HLT %d\nexit KVM_EXIT_MMIO %d\nexit KVM_EXIT_IRQ_WINDOW_OPEN %d\n",
           KVM_EXIT_IO, KVM_EXIT_HLT, KVM_EXIT_MMIO, KVM_EXIT_IRQ_WINDOW_OPEN);
    printf("exit KVM_EXIT_SHUTDOWN %d\nexit KVM_EXIT_FAIL_ENTRY %d\nexit KVM_EXIT_INTR %d\n",
           KVM_EXIT_SHUTDOWN, KVM_EXIT_FAIL_ENTRY, KVM_EXIT_INTR);
    printf("exit KVM_EXIT_INTERNAL_ERROR %d\nexit KVM_EXIT_SYSTEM_EVENT %d\nexit KVM_EXIT_EXCEPTION %d\n",
           KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_SYSTEM_EVENT, KVM_EXIT_EXCEPTION);
    return 0;
}
