package io.giantvm.engine.devices.apic;

/**
 * A 256-bit, one-bit-per-vector APIC register (IRR, ISR or TMR), kept as the eight 32-bit words
 * the guest reads. Not thread-safe: its owning {@link LocalApic} guards it.
 */
final class VectorRegister {
    private final int[] words = new int[ApicRegisters.BITMAP_WORDS];

    void set(int vector) {
        words[vector >>> 5] |= 1 << (vector & 31);
    }

    void clear(int vector) {
        words[vector >>> 5] &= ~(1 << (vector & 31));
    }

    boolean test(int vector) {
        return (words[vector >>> 5] & (1 << (vector & 31))) != 0;
    }

    /** The highest vector whose bit is set, or -1 when none is. */
    int highest() {
        for (int w = words.length - 1; w >= 0; w--) {
            if (words[w] != 0) {
                return (w << 5) + 31 - Integer.numberOfLeadingZeros(words[w]);
            }
        }
        return -1;
    }

    /** Word {@code index} (0..7) as the guest sees it at register offset base + 16 * index. */
    int word(int index) {
        return words[index];
    }

    void clearAll() {
        java.util.Arrays.fill(words, 0);
    }
}
