# Names, sizes and defaults of the qemu-kvm harness, in one place. Sourced by run.sh.
# shellcheck shell=bash disable=SC2034

QKVM_CACHE=${QKVM_CACHE:-$HERE/.cache}          # downloaded kernel + built initramfs (git-ignored)
QKVM_KERNEL_META_PKG=linux-image-amd64          # Debian's "current kernel" package, resolved once

# -cpu max under TCG is an AMD-vendor CPU with SVM and NPT (QEMU >= 7.x), which kvm_amd accepts.
QKVM_DEFAULT_CPU_MODEL=max
QKVM_DEFAULT_CPUS=2                             # the build machines have 2 cores
# TCG's threading: multi runs each emulated CPU on its own host thread (MTTCG), single runs them round-robin on one.
QKVM_TCG_THREAD=${QKVM_TCG_THREAD:-multi}
# Parameters for the vendor KVM module inside the VM, comma-separated (e.g. npt=0: shadow paging); default none.
QKVM_KVM_PARAMS=${QKVM_KVM_PARAMS:-}
QKVM_DEFAULT_MEM_MB=3072
QKVM_DEFAULT_TIMEOUT_S=600
QKVM_VM_LOCK=${QKVM_VM_LOCK:-/tmp/qemu-kvm-vm.lock}   # machine-wide: one VM at a time
QKVM_SETUP_LOCK_WAIT_S=900                      # a first run downloads ~70 MB and unpacks it

# Loaded in this order inside the VM (dependencies are added in front automatically).
# kvm_intel is packed too so an Intel-vendor -cpu with vmx can be tried; init picks by CPU flags.
QKVM_MODULES="virtio_pci virtio_console 9pnet_virtio 9p overlay veth kvm_amd kvm_intel"

# 9p mount tags shared with init.sh (init.sh has its own copies: it runs in busybox sh).
QKVM_TAG_ROOT=hostroot
QKVM_TAG_CTL=qkvmctl
QKVM_TAG_RW_PREFIX=qkvmrw

# virtio-serial port names carrying the command's stdout and stderr (init.sh has copies).
QKVM_PORT_STDOUT=qkvm.stdout
QKVM_PORT_STDERR=qkvm.stderr
