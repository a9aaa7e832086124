package io.edgepush.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a process tree costs, read from Linux's /proc (proc(5)): CPU time as {@code utime + stime} of
 * {@code /proc/PID/stat} (fields 14 and 15, in clock ticks of 1/100 s: USER_HZ is 100 on every Linux ABI Java
 * runs on) summed over the process and its live descendants, and peak resident memory {@code VmHWM} of
 * {@code /proc/PID/status}. A process that has exited reads as 0.
 */
final class ProcStats {
    /** Clock ticks per second of /proc's CPU times (USER_HZ). */
    static final int TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** CPU seconds used so far by {@code pid} and every live descendant of it. */
    static double treeCpuSeconds(long pid) {
        long ticks = 0;
        for (long p : tree(pid)) {
            ticks += cpuTicks(p);
        }
        return ticks / (double) TICKS_PER_SECOND;
    }

    /** {@code pid} and its live descendants (children, their children, ...), read from /proc/*&#47;stat ppid. */
    static List<Long> tree(long pid) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String[] f = statFields(Long.parseLong(p.getFileName().toString()));
                if (f != null) {
                    children.computeIfAbsent(Long.parseLong(f[3]), k -> new ArrayList<>())
                            .add(Long.parseLong(f[0]));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        List<Long> all = new ArrayList<>();
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.remove(todo.size() - 1);
            all.add(p);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return all;
    }

    /** utime + stime of one process, clock ticks; 0 when it is gone. */
    static long cpuTicks(long pid) {
        String[] f = statFields(pid);
        return f == null ? 0 : Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** Peak resident set of {@code pid} and its live descendants, summed, in MB (VmHWM, kB / 1024). */
    static double treePeakRssMb(long pid) {
        long kb = 0;
        for (long p : tree(pid)) {
            kb += vmHwmKb(p);
        }
        return kb / 1024.0;
    }

    /** VmHWM of one process in kB; 0 when it is gone. */
    static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The fields of /proc/PID/stat, 0-based (pid, comm, state, ppid, ...), with the command name (field 2, which may
     * hold spaces and parentheses) taken as one field; null when the process is gone.
     */
    private static String[] statFields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        String[] fields = new String[rest.length + 2];
        fields[0] = stat.substring(0, open).trim();
        fields[1] = stat.substring(open + 1, close);
        System.arraycopy(rest, 0, fields, 2, rest.length);
        return fields;
    }
}
