package io.giantvm.engine.vm;

/** One bench record as the guest wrote it, and which vCPU wrote it. */
public record GuestReport(int vcpu, byte[] record) {}
