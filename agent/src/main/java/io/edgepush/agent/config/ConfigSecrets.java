package io.edgepush.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Secrets of the config that need not sit in it (package-private helper of {@link ConfigLoader}): a value given as
 * {@code {"env": "NAME"}} (the environment variable) or {@code {"file": "PATH"}} (the file's UTF-8 content, trailing
 * line breaks removed; a relative path is taken from the agent's working directory), and the warning for a config
 * file that holds a secret inline while other users can read it.
 */
final class ConfigSecrets {
    private ConfigSecrets() {
    }

    /**
     * The secret named by {@code source}, an object with exactly one of {@code env} and {@code file} (the schema
     * has checked that).
     *
     * @param env environment lookup (System::getenv outside tests); returns null for an unset variable
     * @throws ConfigException naming {@code <path>.env} for an unset or empty variable, {@code <path>.file} (and the
     *                         file) for a missing, unreadable or empty file
     */
    static String resolve(JsonObjectReader source, Function<String, String> env) throws ConfigException {
        String name = source.optString("env", null);
        String file = source.optString("file", null);
        if (name != null) {
            String value = env.apply(name);
            if (value == null || value.isEmpty()) {
                throw new ConfigException(source.child("env"), "environment variable " + name + " is not set or empty");
            }
            return value;
        }
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                    : e.getClass().getSimpleName();
            throw new ConfigException(source.child("file"), "cannot read secret file " + file + ": " + why, e);
        }
        String value = text.replaceAll("[\\r\\n]+$", "");
        if (value.isEmpty()) {
            throw new ConfigException(source.child("file"), "secret file " + file + " is empty");
        }
        return value;
    }

    /**
     * Hands one warning to {@code warnings} when {@code configFile} can be read by its group or by others (POSIX
     * permissions; nothing on a file system without them). Called only when the file holds a secret inline.
     *
     * @param what the inline secret, e.g. {@code $.mqtt.password}
     */
    static void warnIfReadableByOthers(Path configFile, String what, Consumer<String> warnings) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(configFile);
        } catch (UnsupportedOperationException | IOException e) {
            return;
        }
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            warnings.accept(what + ": config file " + configFile + " holds this secret and is readable by other users"
                    + " (" + PosixFilePermissions.toString(perms) + "); run chmod 600 on it or give the secret as"
                    + " {\"env\": NAME} or {\"file\": PATH}");
        }
    }
}
