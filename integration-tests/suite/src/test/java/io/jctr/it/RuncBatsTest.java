package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * runc's own integration suite ({@code tests/integration/*.bats} of Debian's runc 1.1.5 source
 * package) against {@code bin/jctr-runc}, through {@code integration-tests/runc-bats/runc-bats.sh}.
 * Every test must pass except those listed, with their reasons, in
 * {@code integration-tests/runc-bats/known-failures.txt} (README.md summarises them); a listed
 * test that passes now is reported so the list can shrink.
 */
@Tag("root")
class RuncBatsTest {

    /** The suite's jctr-runc server, started by this class's commands, does not outlive it. */
    @AfterAll
    static void stopRuncServer() {
        RuncServerProcess.stopSuiteServer();
    }

    private static final Path DIR = Commands.HOME.resolve("integration-tests/runc-bats");
    private static final Pattern NOT_OK = Pattern.compile("^not ok \\d+ (.*?)(?: # .*)?$");
    private static final Pattern SUMMARY = Pattern.compile("^(\\S+)\\s+(\\S+\\.bats)\\s.*$");

    @Test
    void jctrRuncPassesRuncsSuiteExceptTheListedTests() throws IOException, InterruptedException {
        Path results = Files.createDirectories(Commands.HOME.resolve("integration-tests/suite/target/runc-bats"));
        try (Stream<Path> old = Files.list(results)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Path log = results.resolve("harness.log");
        ProcessBuilder pb = new ProcessBuilder("bash", DIR.resolve("runc-bats.sh").toString(),
                RuncBundle.JCTR_RUNC.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RUNC_BATS_RESULTS", results.toString());
        pb.environment().putIfAbsent("RUNC_BATS_TIMEOUT", "120");
        Process p = pb.start();
        if (!p.waitFor(45, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("runc's bats suite did not finish in 45 minutes:\n" + Files.readString(log));
        }
        String harness = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(Files.exists(results.resolve("summary.txt")), "the harness did not run the suite:\n" + harness);

        Map<String, String> known = knownFailures();
        TreeSet<String> failed = failures(results);
        List<String> unexpected = new ArrayList<>();
        for (String f : failed) {
            if (!known.containsKey(f)) {
                unexpected.add(f);
            }
        }
        List<String> nowPassing = known.keySet().stream().filter(k -> !failed.contains(k)).toList();
        if (!nowPassing.isEmpty()) {
            System.out.println("runc-bats: listed as known failures but passing now: " + nowPassing);
        }
        System.out.println(Files.readString(results.resolve("summary.txt")));
        assertTrue(unexpected.isEmpty(), "runc's bats tests failing and not listed in known-failures.txt: "
                + unexpected + "\n(see " + results + ")\n" + harness);
    }

    /** {@code file.bats: test name} → reason, from known-failures.txt. */
    private static Map<String, String> knownFailures() throws IOException {
        Map<String, String> known = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("known-failures.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int hash = line.indexOf(" # ");
            String key = (hash < 0 ? line : line.substring(0, hash)).strip();
            known.put(key, hash < 0 ? "" : line.substring(hash + 3).strip());
        }
        return known;
    }

    /** Every failed test as {@code file.bats: name}; a file that timed out or broke its plan as {@code file.bats: *}. */
    private static TreeSet<String> failures(Path results) throws IOException {
        TreeSet<String> failed = new TreeSet<>();
        for (String line : Files.readAllLines(results.resolve("summary.txt"))) {
            Matcher m = SUMMARY.matcher(line);
            if (m.matches() && (m.group(1).equals("TIMEOUT") || m.group(1).equals("BADPLAN"))) {
                failed.add(m.group(2) + ": *");
            }
        }
        try (Stream<Path> taps = Files.list(results)) {
            for (Path tap : taps.filter(t -> t.toString().endsWith(".tap")).sorted().toList()) {
                String file = tap.getFileName().toString().replace(".tap", ".bats");
                for (String line : Files.readAllLines(tap, StandardCharsets.UTF_8)) {
                    Matcher m = NOT_OK.matcher(line);
                    if (m.matches()) {
                        failed.add(file + ": " + m.group(1).strip());
                    }
                }
            }
        }
        return failed;
    }
}
