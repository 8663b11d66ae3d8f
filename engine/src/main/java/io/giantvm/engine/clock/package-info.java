/**
 * One TSC across the whole VM. Each node is a KVM VM of its own, and KVM starts each VM's guest TSC at 0
 * when it creates the vCPUs, so without this {@code rdtsc} on vCPUs of different nodes is not comparable:
 * cross-node timings are meaningless and a Linux guest marks its TSC unstable.
 *
 * <p>How: node 0 fixes the VM's epoch (its CLOCK_REALTIME when it assembled the VM). After the mesh is up every
 * other node asks node 0 for its clock a few times and keeps the sample with the shortest round trip: node
 * 0's time minus the midpoint of the round trip is the offset between the two hosts' clocks, known to within
 * half that round trip (on one host, 0 within microseconds; across machines it does not rely on NTP). Then
 * each node writes every vCPU's IA32_TSC to {@code (its clock + offset - epoch) x rate} just before the vCPUs
 * start. The TSC rate must be the same everywhere: a node whose KVM reports another rate scales its vCPUs to
 * node 0's (KVM_SET_TSC_KHZ) or, if KVM cannot, stops with a message naming both rates.
 *
 * <p>The guest checks the result itself: its BSP passes a token to every AP through shared memory and reports
 * the three TSC readings, from which {@code giantvm run} prints the skew and the tests bound it.
 */
package io.giantvm.engine.clock;
