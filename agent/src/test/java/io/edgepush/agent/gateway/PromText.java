package io.edgepush.agent.gateway;

import io.edgepush.testkit.Peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the Prometheus text format (0.0.4) back in tests: samples by name and labels, and {@code promtool check
 * metrics} (Debian package {@code prometheus}; skipped when missing, a failure with REQUIRE_PEERS=1).
 */
final class PromText {
    /** One sample line: {@code name{labels} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final String text;

    private PromText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                for (String pair : line.substring(brace + 1, close).split("\",")) {
                    if (!pair.isEmpty()) {
                        int eq = pair.indexOf('=');
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2).replaceAll("\"$", ""));
                    }
                }
                rest = line.substring(close + 1).trim();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            }
            samples.add(new Sample(name, labels, Double.parseDouble(rest.split(" ")[0])));
        }
    }

    static PromText parse(String text) {
        return new PromText(text);
    }

    /** The samples named {@code name} whose labels include {@code labels} (name, value, name, value, ...). */
    List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** The value of the one sample {@code find} gives; fails when there is not exactly one. */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        assertEquals(1, found.size(), () -> "one sample " + name + " " + List.of(labels) + " in\n" + text);
        return found.get(0).value();
    }

    /** Every sample's name. */
    List<String> names() {
        return samples.stream().map(Sample::name).distinct().toList();
    }

    /** Runs {@code promtool check metrics} on {@code text} and asserts it passes (exit 0, no lint problem). */
    static void assertPromtoolPasses(String text) throws IOException, InterruptedException {
        String promtool = Peers.require("promtool").toString();
        java.nio.file.Path output = java.nio.file.Files.createTempFile("promtool", ".out");
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool ended within 30 s");
            String out = java.nio.file.Files.readString(output);
            assertEquals(0, p.exitValue(), () -> "promtool check metrics: " + out + "\non:\n" + text);
        } finally {
            p.destroyForcibly();
            java.nio.file.Files.deleteIfExists(output);
        }
    }
}
