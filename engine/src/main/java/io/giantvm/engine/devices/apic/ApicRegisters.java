package io.giantvm.engine.devices.apic;

/**
 * Layout of the xAPIC: where the MMIO page lives, where each register sits in it, and the bits
 * and reset values the emulation relies on (Intel SDM vol. 3A, chapter 11 "Advanced Programmable
 * Interrupt Controller"). Every APIC address and magic number lives here, nowhere else.
 */
public final class ApicRegisters {
    private ApicRegisters() {
    }

    /** Guest-physical base of the local APIC page (IA32_APIC_BASE reset value; we never relocate it). */
    public static final long MMIO_BASE = io.giantvm.engine.memory.GuestLayout.LOCAL_APIC_BASE;
    /** One 4 KiB page; registers are 32 bits wide on 16-byte boundaries. */
    public static final long MMIO_SIZE = io.giantvm.engine.memory.GuestLayout.LOCAL_APIC_SIZE;
    static final int REGISTER_STRIDE = 16;
    static final int REGISTER_WIDTH = 4;

    // Register offsets within the page.
    static final int ID = 0x020;
    static final int VERSION = 0x030;
    static final int TPR = 0x080;
    static final int APR = 0x090;
    static final int PPR = 0x0A0;
    static final int EOI = 0x0B0;
    static final int LDR = 0x0D0;
    static final int DFR = 0x0E0;
    static final int SVR = 0x0F0;
    static final int ISR_BASE = 0x100;
    static final int TMR_BASE = 0x180;
    static final int IRR_BASE = 0x200;
    /** ISR, TMR and IRR are each eight 32-bit registers, 16 bytes apart. */
    static final int BITMAP_WORDS = 8;
    static final int ESR = 0x280;
    static final int ICR_LOW = 0x300;
    static final int ICR_HIGH = 0x310;
    static final int LVT_TIMER = 0x320;
    static final int LVT_THERMAL = 0x330;
    static final int LVT_PERF = 0x340;
    static final int LVT_LINT0 = 0x350;
    static final int LVT_LINT1 = 0x360;
    static final int LVT_ERROR = 0x370;
    static final int TIMER_INITIAL_COUNT = 0x380;
    static final int TIMER_CURRENT_COUNT = 0x390;
    static final int TIMER_DIVIDE = 0x3E0;

    /**
     * Version register: version 0x14 (an integrated xAPIC), max LVT entry 5 (six entries: timer,
     * thermal, perf, LINT0, LINT1, error; no CMCI), bit 24 clear (no EOI-broadcast suppression).
     */
    static final int VERSION_VALUE = 0x0005_0014;

    // ID and logical destination registers keep their value in bits 24..31.
    static final int ID_SHIFT = 24;
    static final int LDR_MASK = 0xFF00_0000;
    /** DFR: only the model (bits 28..31) is writable; bits 0..27 always read as ones. */
    static final int DFR_MODEL_MASK = 0xF000_0000;
    static final int DFR_RESERVED_ONES = 0x0FFF_FFFF;
    static final int DFR_MODEL_FLAT = 0xF000_0000;

    static final int TPR_MASK = 0xFF;

    // Spurious-interrupt vector register.
    static final int SVR_VECTOR_MASK = 0xFF;
    static final int SVR_SOFTWARE_ENABLE = 1 << 8;
    static final int SVR_FOCUS_DISABLE = 1 << 9;
    static final int SVR_WRITABLE = SVR_VECTOR_MASK | SVR_SOFTWARE_ENABLE | SVR_FOCUS_DISABLE;
    static final int SVR_RESET = 0xFF;

    // Error status register bits.
    static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    static final int ESR_ILLEGAL_REGISTER = 1 << 7;

    // Interrupt command register, low half.
    static final int ICR_VECTOR_MASK = 0xFF;
    static final int ICR_DELIVERY_MODE_SHIFT = 8;
    static final int ICR_DESTINATION_LOGICAL = 1 << 11;
    /** Delivery status: always reads idle because IPIs are delivered before the ICR write returns. */
    static final int ICR_DELIVERY_PENDING = 1 << 12;
    static final int ICR_LEVEL_ASSERT = 1 << 14;
    static final int ICR_TRIGGER_LEVEL = 1 << 15;
    static final int ICR_SHORTHAND_SHIFT = 18;
    static final int ICR_LOW_WRITABLE = 0x000C_CFFF;
    /** ICR high: destination field in bits 24..31. */
    static final int ICR_DESTINATION_SHIFT = 24;
    static final int ICR_HIGH_WRITABLE = 0xFF00_0000;
    /** Physical destination 0xFF addresses every APIC. */
    static final int BROADCAST_ID = 0xFF;
    /** xAPIC ids are 8 bits wide. */
    static final int MAX_APIC_IDS = 256;

    // Local vector table entries.
    static final int LVT_VECTOR_MASK = 0xFF;
    static final int LVT_MASKED = 1 << 16;
    static final int LVT_RESET = LVT_MASKED;
    static final int LVT_TIMER_MODE_SHIFT = 17;
    static final int LVT_TIMER_WRITABLE = 0x0007_00FF;
    /** Thermal and performance-counter LVTs: vector, delivery mode, mask. */
    static final int LVT_DELIVERY_WRITABLE = 0x0001_07FF;
    /** LINT0/LINT1 add pin polarity (13) and trigger mode (15); remote IRR (14) is read-only. */
    static final int LVT_LINT_WRITABLE = 0x0001_A7FF;
    static final int LVT_ERROR_WRITABLE = 0x0001_00FF;

    /** Divide configuration: bits 0, 1 and 3 encode the divisor (bit 2 is reserved). */
    static final int TIMER_DIVIDE_WRITABLE = 0xB;

    /** Vectors 0..15 are reserved for exceptions and are illegal in interrupt messages. */
    static final int FIRST_LEGAL_VECTOR = 16;
    static final int VECTORS = 256;
}
