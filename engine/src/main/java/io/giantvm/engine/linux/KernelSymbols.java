package io.giantvm.engine.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Names guest-physical pages after the kernel symbols in them, from the kernel's {@code System.map}, so that the
 * DSM's most moved pages read as "jiffies_64, ..." instead of bare addresses. Only the kernel image itself
 * ({@code _text} .. {@code _end}) has fixed physical addresses: the kernel runs where the loader put it
 * ({@code kernelPhysical}; with {@code nokaslr} it does not move), so physical = virtual - _text + kernelPhysical.
 * Per-cpu areas, slab objects, page tables and user memory are allocated at run time and have no symbol.
 */
public final class KernelSymbols {
    /** At most this many names per page, then "+N more". */
    static final int NAMES_PER_PAGE = 4;
    private static final long PAGE = 4096;

    private final long[] physical;
    private final String[] names;
    private final long imageEnd;

    private KernelSymbols(long[] physical, String[] names, long imageEnd) {
        this.physical = physical;
        this.names = names;
        this.imageEnd = imageEnd;
    }

    /** Parses System.map text ("ffffffff81000000 T _text" per line); empty when it has no _text/_end. */
    public static Optional<KernelSymbols> parse(List<String> lines, long kernelPhysical) {
        record Sym(long virt, String name) {}
        List<Sym> syms = new ArrayList<>();
        Long text = null;
        Long end = null;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            long virt;
            try {
                virt = Long.parseUnsignedLong(f[0], 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if (f[2].equals("_text")) {
                text = virt;
            } else if (f[2].equals("_end")) {
                end = virt;
            }
            syms.add(new Sym(virt, f[2]));
        }
        if (text == null || end == null) {
            return Optional.empty();
        }
        long t = text;
        long e = end;
        List<Sym> inImage = syms.stream()
                .filter(s -> Long.compareUnsigned(s.virt(), t) >= 0 && Long.compareUnsigned(s.virt(), e) < 0)
                .sorted((a, b) -> Long.compareUnsigned(a.virt(), b.virt())).toList();
        long[] phys = inImage.stream().mapToLong(s -> s.virt() - t + kernelPhysical).toArray();
        String[] n = inImage.stream().map(Sym::name).toArray(String[]::new);
        return Optional.of(new KernelSymbols(phys, n, e - t + kernelPhysical));
    }

    /** Reads {@code file}; empty when it is missing or unreadable (the names are a help, never a requirement). */
    public static Optional<KernelSymbols> read(Path file, long kernelPhysical) {
        try {
            return parse(Files.readAllLines(file), kernelPhysical);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The System.map that belongs to {@code kernel}: {@code System.map} beside it (how build-guest.sh keeps the
     * default guest's) or, for {@code vmlinuz-VERSION}, {@code System.map-VERSION} (how Debian installs it).
     */
    public static Path besides(Path kernel) {
        Path dir = kernel.toAbsolutePath().getParent();
        String name = kernel.getFileName().toString();
        Path versioned = name.startsWith("vmlinuz-") ? dir.resolve("System.map-" + name.substring("vmlinuz-".length())) : null;
        return versioned != null && Files.exists(versioned) ? versioned : dir.resolve("System.map");
    }

    /**
     * The symbols of the page at guest-physical {@code pageAddress}: the one it starts in, then those starting in
     * it, e.g. "jiffies_64, jiffies, ... +12 more"; empty when the page is outside the kernel image.
     */
    public Optional<String> describePage(long pageAddress) {
        long pageEnd = pageAddress + PAGE;
        if (physical.length == 0 || pageEnd <= physical[0] || pageAddress >= imageEnd) {
            return Optional.empty();
        }
        int i = Arrays.binarySearch(physical, pageAddress);
        if (i < 0) {
            i = Math.max(0, -i - 2); // the symbol the page starts in
        } else {
            while (i > 0 && physical[i - 1] == pageAddress) {
                i--;
            }
        }
        List<String> in = new ArrayList<>();
        int total = 0;
        for (int k = i; k < physical.length && physical[k] < pageEnd; k++) {
            if (!in.contains(names[k])) {
                total++;
                if (in.size() < NAMES_PER_PAGE) {
                    in.add(names[k]);
                }
            }
        }
        return Optional.of(String.join(", ", in) + (total > in.size() ? " +" + (total - in.size()) + " more" : ""));
    }
}
