package io.giantvm.operator.reconciler;

/**
 * Why the operator will not (yet) create pods: a condition reason (CamelCase, machine-readable) and a
 * one-line message for people.
 */
public record Problem(String reason, String message) {}
