package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {
    @TempDir
    Path dir;

    @Test
    void findsAnExecutableOnPath() throws Exception {
        Path tool = executable("fake-peer");
        Path found = Peers.require("fake-peer", Map.of("PATH", "/nonexistent:" + dir));
        assertEquals(tool, found);
    }

    @Test
    void nonExecutableFileDoesNotCount() throws Exception {
        Files.writeString(dir.resolve("plain"), "not a program");
        assertThrows(TestAbortedException.class, () -> Peers.require("plain", Map.of("PATH", dir.toString())));
    }

    @Test
    void missingPeerSkipsByDefault() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> Peers.require("no-such-peer", Map.of("PATH", dir.toString())));
        assertEquals("peer no-such-peer not installed; skipped (install it or run .ci/run)", e.getMessage());
    }

    @Test
    void missingPeerFailsWhenPeersAreRequired() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Peers.require("no-such-peer", Map.of("PATH", dir.toString(), "REQUIRE_PEERS", "1")));
        assertEquals("peer no-such-peer is required (REQUIRE_PEERS=1) but not installed", e.getMessage());
    }

    @Test
    void requirePeersOtherThanOneStillSkips() {
        assertThrows(TestAbortedException.class,
                () -> Peers.require("no-such-peer", Map.of("PATH", dir.toString(), "REQUIRE_PEERS", "0")));
    }

    @Test
    void nginxWithoutRtmpModuleIsAMissingPeer() throws Exception {
        executable("nginx");
        Path module = dir.resolve("ngx_rtmp_module.so");
        Map<String, String> env = Map.of("PATH", dir.toString(), "REQUIRE_PEERS", "1");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Peers.requireNginxRtmp(env, module));
        assertTrue(e.getMessage().contains("ngx_rtmp_module.so"), e.getMessage());
        Files.writeString(module, "");
        assertEquals(dir.resolve("nginx"), Peers.requireNginxRtmp(env, module));
    }

    private Path executable(String name) throws Exception {
        Path tool = dir.resolve(name);
        Files.writeString(tool, "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool.toAbsolutePath();
    }
}
