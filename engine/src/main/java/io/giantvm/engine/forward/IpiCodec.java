package io.giantvm.engine.forward;

import io.giantvm.engine.devices.apic.DeliveryMode;
import io.giantvm.engine.devices.apic.DestinationMode;
import io.giantvm.engine.devices.apic.DestinationShorthand;
import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.TriggerMode;
import io.giantvm.engine.mesh.v1.IpiMessage;

/** {@link Ipi} to and from its mesh message; enums travel as their ICR field values. */
public final class IpiCodec {
    private IpiCodec() {}

    public static IpiMessage encode(Ipi ipi) {
        return IpiMessage.newBuilder()
                .setSourceApicId(ipi.sourceApicId())
                .setDestination(ipi.destination())
                .setLogical(ipi.destinationMode() == DestinationMode.LOGICAL)
                .setShorthand(ipi.shorthand().bits())
                .setDeliveryMode(ipi.deliveryMode().bits())
                .setVector(ipi.vector())
                .setLevelAssert(ipi.levelAssert())
                .setLevelTrigger(ipi.triggerMode() == TriggerMode.LEVEL)
                .build();
    }

    /** Throws {@link IllegalArgumentException} for out-of-range ids or vectors (a corrupt or hostile frame). */
    public static Ipi decode(IpiMessage m) {
        return new Ipi(
                m.getSourceApicId(),
                m.getDestination(),
                m.getLogical() ? DestinationMode.LOGICAL : DestinationMode.PHYSICAL,
                DestinationShorthand.fromBits(m.getShorthand()),
                DeliveryMode.fromBits(m.getDeliveryMode()),
                m.getVector(),
                m.getLevelAssert(),
                m.getLevelTrigger() ? TriggerMode.LEVEL : TriggerMode.EDGE);
    }
}
