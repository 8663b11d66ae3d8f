package io.giantvm.engine.devices.apic;

/** The destination-shorthand field (ICR bits 18..19); with a shorthand the destination field is ignored. */
public enum DestinationShorthand {
    NONE,
    SELF,
    ALL_INCLUDING_SELF,
    ALL_EXCLUDING_SELF;

    private static final DestinationShorthand[] BY_BITS = values();

    public static DestinationShorthand fromBits(int bits) {
        return BY_BITS[bits & 3];
    }

    public int bits() {
        return ordinal();
    }
}
