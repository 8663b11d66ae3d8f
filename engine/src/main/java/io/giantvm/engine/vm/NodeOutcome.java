package io.giantvm.engine.vm;

import io.giantvm.engine.dsm.DsmStats;
import io.giantvm.engine.numa.SlitDistance;

import java.util.Optional;

/**
 * How one node's part of a distributed run ended.
 *
 * @param run               status, failure, reports (on the I/O node), elapsed time, exits of the local vCPUs
 *                          (indexed from the node's first vCPU) and the TSC rate
 * @param firstVcpu         global index of the node's first vCPU
 * @param dsm               the node's DSM counters
 * @param ipisSent          IPI frames this node sent to other nodes
 * @param ipisReceived      IPI frames other nodes sent here
 * @param ioForwarded       device accesses this node forwarded to the I/O node
 * @param ioServed          forwarded accesses this node served (I/O node only)
 * @param slit              the SLIT distance this node declared to the guest (the boot node of a NUMA VM only)
 */
public record NodeOutcome(RunOutcome run, int firstVcpu, DsmStats dsm, long ipisSent, long ipisReceived,
                          long ioForwarded, long ioServed, Optional<SlitDistance> slit) {}
