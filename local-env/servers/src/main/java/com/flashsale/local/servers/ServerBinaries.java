package com.flashsale.local.servers;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the redis-server and PostgreSQL binaries come from: the machine's when it has them, else
 * the ones that Maven artifacts ship (embedded-redis's redis-server 6.2, zonky's PostgreSQL 16),
 * copied or unpacked once into a cache directory and reused by every later start.
 *
 * <p>The shipped binaries exist for Linux and macOS on x86-64 and ARM64. Tried: Linux x86-64
 * (Debian 12). Linux ARM64 and both macOS builds are resolved by name only, never run.
 */
final class ServerBinaries {

    /** {@code auto} (the default): the machine's binaries when present; {@code shipped}: never them. */
    static final String CHOICE = "FLASHSALE_SERVER_BINARIES";

    private static final Map<String, String> REDIS_SERVERS = Map.of(
            "linux-x86_64", "redis-server-6.2.6-v5-linux-amd64",
            "linux-arm_64", "redis-server-6.2.7-linux-arm64",
            "darwin-x86_64", "redis-server-6.2.6-v5-darwin-amd64",
            "darwin-arm_64", "redis-server-6.2.6-v5-darwin-arm64");

    private static final Set<PosixFilePermission> EXECUTE = EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private final Map<String, String> env;
    private final boolean machineFirst;
    private final Path cache;
    private final String platform;

    ServerBinaries(Map<String, String> env, boolean machineFirst, Path cache, String platform) {
        this.env = env;
        this.machineFirst = machineFirst;
        this.cache = cache;
        this.platform = platform;
    }

    /** As the environment says: {@value #CHOICE}, {@code PG_BIN}, {@code PATH}, the cache directory. */
    static ServerBinaries fromEnvironment(Map<String, String> env) {
        String choice = env.getOrDefault(CHOICE, "auto");
        if (!choice.equals("auto") && !choice.equals("shipped")) {
            throw new IllegalArgumentException(CHOICE + " is '" + choice + "'; expected auto or shipped");
        }
        return new ServerBinaries(env, choice.equals("auto"), defaultCache(env), currentPlatform());
    }

    /** The shipped binaries only, whatever the machine has. */
    static ServerBinaries shipped(Path cache) {
        return new ServerBinaries(Map.of(), false, cache, currentPlatform());
    }

    /** $FLASHSALE_WORK_DIR/cache, else $XDG_CACHE_HOME/flashsale, else ~/.cache/flashsale. */
    static Path defaultCache(Map<String, String> env) {
        String workDir = env.get("FLASHSALE_WORK_DIR");
        if (workDir != null && !workDir.isBlank()) {
            return Path.of(workDir, "cache");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("flashsale");
    }

    /** {@code <os>-<arch>} as zonky names its archives: linux or darwin, x86_64 or arm_64. */
    static String platform(String osName, String osArch) {
        String os = osName.startsWith("Linux") ? "linux" : osName.startsWith("Mac") ? "darwin" : null;
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
        return os == null || arch == null ? osName + "-" + osArch : os + "-" + arch;
    }

    private static String currentPlatform() {
        return platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /** The redis-server on the PATH, else the shipped one. */
    Path redisServer() {
        if (machineFirst) {
            for (String entry : env.getOrDefault("PATH", "").split(":")) {
                Path candidate = Path.of(entry.isEmpty() ? "." : entry, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String name = REDIS_SERVERS.get(platform);
        return cached(name == null ? "redis-server-" + platform : name, target -> {
            try (InputStream in = shippedResource(name, "redis-server", "REDIS_URL")) {
                Files.copy(in, target);
            }
            Files.setPosixFilePermissions(target, withExecute(Files.getPosixFilePermissions(target)));
        });
    }

    /** The directory of initdb and postgres: PG_BIN, else the newest /usr/lib/postgresql/n/bin, else the shipped. */
    Path postgresBin() {
        if (machineFirst) {
            String configured = env.get("PG_BIN");
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured);
            }
            Optional<Path> debian = debianPostgresBin();
            if (debian.isPresent()) {
                return debian.get();
            }
        }
        String archive = "postgres-" + platform + ".txz";
        String version = shippedVersions().getProperty("postgres");
        String name = "postgres-" + version + "-" + platform;
        return cached(name, target -> {
            System.out.println("unpacking PostgreSQL " + version + " into " + cache.resolve(name) + " (once)");
            try (InputStream in = shippedResource(archive, "postgresql", "DATABASE_URL")) {
                untar(new XZInputStream(new BufferedInputStream(in)), target);
            }
        }).resolve("bin");
    }

    private static Optional<Path> debianPostgresBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(version -> version.getFileName().toString().matches("\\d+"))
                    .map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("postgres")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InputStream shippedResource(String name, String machinePackage, String serverVariable) {
        InputStream in = name == null ? null : ServerBinaries.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IllegalStateException("no " + machinePackage + " on this machine and none shipped for "
                    + platform + " (shipped: Linux and macOS, x86-64 and ARM64): install " + machinePackage
                    + ", or set " + serverVariable + " to a running server");
        }
        return in;
    }

    private static Properties shippedVersions() {
        Properties versions = new Properties();
        try (InputStream in = ServerBinaries.class.getResourceAsStream("server-binaries.properties")) {
            versions.load(in);
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The cache entry called {@code name}, written by {@code writer} the first time. It is written
     * beside the cache under a temporary name and renamed into place, so a JVM that starts while
     * another is still writing never sees half of it; when two write at once, the first rename wins.
     */
    private Path cached(String name, Writer writer) {
        Path target = cache.resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        Path partial = null;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempDirectory(cache, "." + name + "-").resolve(name);
            writer.write(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.exists(target)) {
                throw new UncheckedIOException("cannot prepare " + target, e);
            }
        } finally {
            if (partial != null) {
                RealServers.deleteTree(partial.getParent());
            }
        }
        return target;
    }

    /** Unpacks a tar stream: directories, files with their modes, and symbolic links. */
    private static void untar(InputStream tarStream, Path target) throws IOException {
        Files.createDirectories(target);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, target.resolve(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(path, withExecute(Files.getPosixFilePermissions(path)));
                    }
                } else {
                    throw new IOException("unexpected archive entry " + entry.getName());
                }
            }
        }
    }

    private static Set<PosixFilePermission> withExecute(Set<PosixFilePermission> permissions) {
        Set<PosixFilePermission> executable = EnumSet.copyOf(permissions);
        executable.addAll(EXECUTE);
        return executable;
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path target) throws IOException;
    }
}
