/**
 * The VM description file (engine/VM-DESCRIPTION.md, format {@code giantvm.io/v1alpha1}): parsing with one-line
 * errors naming the key, the derived vCPU placement and DSM home ranges, and a writer for loopback VMs.
 */
package io.giantvm.engine.config;
