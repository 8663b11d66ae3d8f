package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicRegisters.*;

/**
 * One inter-processor interrupt message, as decoded from an ICR write. It is plain data so that
 * the mesh can carry it to the node that runs the destination vCPU.
 *
 * @param sourceApicId  APIC id of the sender (used to exclude it from "all excluding self")
 * @param destination   physical APIC id (0xFF = broadcast) or logical mask, per {@code destinationMode};
 *                      meaningless when {@code shorthand} is not {@link DestinationShorthand#NONE}
 * @param vector        the vector (fixed, lowest priority) or the start-up page number (STARTUP)
 * @param levelAssert   ICR bit 14; false together with level trigger means INIT level de-assert
 */
public record Ipi(
        int sourceApicId,
        int destination,
        DestinationMode destinationMode,
        DestinationShorthand shorthand,
        DeliveryMode deliveryMode,
        int vector,
        boolean levelAssert,
        TriggerMode triggerMode) {

    public Ipi {
        if (sourceApicId < 0 || sourceApicId >= MAX_APIC_IDS) {
            throw new IllegalArgumentException("IPI source APIC id " + sourceApicId + " is not in 0..255");
        }
        if (destination < 0 || destination >= MAX_APIC_IDS) {
            throw new IllegalArgumentException("IPI destination " + destination + " is not in 0..255");
        }
        if (vector < 0 || vector >= VECTORS) {
            throw new IllegalArgumentException("IPI vector " + vector + " is not in 0..255");
        }
    }

    /** Decodes the ICR pair written by APIC {@code sourceApicId}; the high half is read first by hardware too. */
    public static Ipi decode(int sourceApicId, int icrLow, int icrHigh) {
        return new Ipi(
                sourceApicId,
                icrHigh >>> ICR_DESTINATION_SHIFT,
                (icrLow & ICR_DESTINATION_LOGICAL) != 0 ? DestinationMode.LOGICAL : DestinationMode.PHYSICAL,
                DestinationShorthand.fromBits(icrLow >>> ICR_SHORTHAND_SHIFT),
                DeliveryMode.fromBits(icrLow >>> ICR_DELIVERY_MODE_SHIFT),
                icrLow & ICR_VECTOR_MASK,
                (icrLow & ICR_LEVEL_ASSERT) != 0,
                (icrLow & ICR_TRIGGER_LEVEL) != 0 ? TriggerMode.LEVEL : TriggerMode.EDGE);
    }

    /** Whether this is the "INIT level de-assert" message, which only old P6 APICs acted on. */
    public boolean isInitLevelDeassert() {
        return deliveryMode == DeliveryMode.INIT && !levelAssert && triggerMode == TriggerMode.LEVEL;
    }

    /** Whether this is a physical-mode message to exactly one APIC id. */
    public boolean isPhysicalUnicast() {
        return shorthand == DestinationShorthand.NONE
                && destinationMode == DestinationMode.PHYSICAL
                && destination != BROADCAST_ID;
    }
}
