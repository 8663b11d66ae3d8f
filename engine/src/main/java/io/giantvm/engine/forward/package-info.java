/**
 * What crosses nodes besides memory: device accesses and IPIs, and the VM's end.
 *
 * <p>Devices live on the I/O node. Every other node maps the same port and MMIO ranges to a
 * {@link io.giantvm.engine.forward.RemoteDevice}, which sends the access over the mesh and waits for the
 * reply, like crosvm's ProxyDevice; the I/O node's {@link io.giantvm.engine.forward.IoServer} replays it on its
 * own bus. An IPI whose destination is not hosted locally goes through
 * {@link io.giantvm.engine.forward.MeshIpiSink} to the node that runs the destination vCPU (which vCPU has that
 * APIC id: {@code cpu/ApicIdMap}), where {@link io.giantvm.engine.forward.IpiReceiver} hands it to the local router.
 * {@link io.giantvm.engine.forward.VmLifecycleChannel} carries "the guest exited" and "a node failed".
 */
package io.giantvm.engine.forward;
