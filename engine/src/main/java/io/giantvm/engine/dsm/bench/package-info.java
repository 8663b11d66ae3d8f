/**
 * The {@code dsm-latency} benchmark ({@link io.giantvm.engine.dsm.bench.DsmLatencyBench#run}); the CLI's
 * {@code giantvm bench dsm-latency} is meant to call it. {@link io.giantvm.engine.dsm.bench.BenchPeer} is the
 * second process it starts.
 *
 * <p>What it showed on the build machine (2 cores, nested PVM guest, other builds running): the mesh round trip
 * costs about the raw TCP floor once the peer JVM is warm; the owner's write-protect or drop costs ~50 µs
 * because it needs a TLB shootdown (an IPI, expensive in a nested guest), and a remote fault chains four thread
 * wake-ups across two processes, which spread over both CPUs cost far more than in the two-thread floors
 * (pinning both processes to one CPU roughly halves the remote fault). See the issue report for the figures.
 */
package io.giantvm.engine.dsm.bench;
