/**
 * The Linux guest seen from the host: the default guest (Debian's kernel and a busybox + sysbench
 * initramfs, built by {@code engine/src/main/linux/build-guest.sh}), the guest's command line, and what
 * its {@code /init} reports on the console ({@code @@GIANTVM} lines). How the kernel is loaded is in
 * {@code boot.linux}; the firmware tables in {@code acpi}.
 */
package io.giantvm.engine.linux;
