package io.caravan.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster acceptance, on the real PostgreSQL and three real sshd hosts: three {@code caravan server}
 * processes run a 600-job fan-out over a pool of the three hosts, each host reached only by the node that
 * owns it; one node is SIGKILLed in the middle and the others adopt its hosts and its running jobs (no job
 * starts twice, none is lost or left behind); a cron workflow on all three nodes fires once per slot.
 */
class ClusterOpenSshTest {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final int JOBS = 600;
    private static final Pattern CONNECTED = Pattern.compile("connected to (\\S+) from /?[\\d.]+:(\\d+)");
    private static final Pattern OWNS = Pattern.compile("node (\\S+) owns host (\\S+)");

    @TempDir
    Path dir;

    private final String schema =
            "caravan_cluster_" + UUID.randomUUID().toString().replace("-", "");
    private String db;
    private final List<OpenSshServer> hosts = new ArrayList<>();
    private final List<EngineProcess> nodes = new ArrayList<>();
    private final List<Path> nodeLogs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sql("CREATE SCHEMA " + schema);
        db = SERVER + "?user=postgres&currentSchema=" + schema;
        for (int i = 0; i < 3; i++) {
            hosts.add(OpenSshServer.builder().start());
        }
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(EngineProcess::close);
        for (EngineProcess n : nodes) {
            n.awaitExit();
        }
        // kept for a post-mortem: what each node said, and each sshd's log
        Path keep = Files.createDirectories(Path.of("target", "cluster-test"));
        for (Path log : nodeLogs) {
            Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (Files.exists(hosts.get(i).logFile())) {
                Files.copy(
                        hosts.get(i).logFile(), keep.resolve("sshd" + i + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        hosts.forEach(OpenSshServer::close);
        System.clearProperty("caravan.home");
        System.clearProperty("caravan.cluster.heartbeat");
        System.clearProperty("caravan.cluster.ttl");
        sql("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void threeNodesShareTheHostsSurviveAKilledNodeAndFireEachCronSlotOnce() throws Exception {
        Path starts = dir.resolve("starts.log");
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Path base = Files.createDirectories(dir.resolve("jobs"));
        StringBuilder connections = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            connections.append(CaravanRuns.connection("h" + i, hosts.get(i)));
        }
        // the three hosts are one machine here: one base serves them all (job ids differ per item and attempt)
        Files.writeString(workflows.resolve("fanout.yaml"), """
                workflow: fanout
                connections:
                %s
                pools:
                  farm: { hosts: [h0, h1, h2], slots: 40 }
                tasks:
                  shard:
                    target: farm
                    expand: { range: %d }
                    max_active: %d
                    remote_job:
                      script: echo "$ITEM" >> %s; sleep 2; echo "done $ITEM"
                      workdir_base: %s
                      poll_interval: 500ms
                """.formatted(connections, JOBS, JOBS, starts, base));
        Files.writeString(workflows.resolve("tick.yaml"), """
                workflow: tick
                schedule: "0/2 * * * * ?"
                tasks:
                  a: { shell: "echo tick" }
                """);
        for (int i = 0; i < 3; i++) {
            Path home = Files.createDirectories(dir.resolve("node" + i));
            Path log = dir.resolve("node" + i + ".log");
            nodeLogs.add(log);
            nodes.add(EngineProcess.startLogged(
                    home,
                    log,
                    List.of(
                            "-Dcaravan.cluster.heartbeat=1s",
                            "-Dcaravan.cluster.ttl=5s",
                            // times on each line: a post-mortem lines up the nodes' logs and sshd's
                            "-Dorg.slf4j.simpleLogger.showDateTime=true",
                            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                            "-Dorg.slf4j.simpleLogger.log.io.caravan.core.ssh.SessionOpener=debug"),
                    "server",
                    "--workflows",
                    workflows.toString(),
                    "--routes",
                    dir.resolve("routes").toString(),
                    "--db",
                    db,
                    "--port",
                    "0"));
        }
        awaitSql("SELECT count(*) FROM nodes WHERE stopped_at IS NULL", 3, "three nodes registered");
        Thread.sleep(1_500); // a beat for each node to see the other two

        System.setProperty("caravan.home", dir.resolve("cli").toString());
        CaravanRuns.Result queued =
                CaravanRuns.cli("trigger", "fanout", "--workflows", workflows.toString(), "--db", db);
        assertThat(queued.exit()).as(queued.out()).isZero();
        String runId = queued.out().split(" ")[2];

        awaitLines(starts, JOBS / 3);
        Map<String, String> ownerAtKill = hostOwners();
        assertThat(new TreeSet<>(ownerAtKill.values()))
                .as("hosts spread over the nodes: %s", ownerAtKill)
                .hasSize(3);
        String victim = ownerAtKill.values().iterator().next();
        int victimIndex = nodeIndex(victim);
        nodes.get(victimIndex).kill();
        Instant killedAt = Instant.now();

        awaitSql(
                "SELECT count(*) FROM runs WHERE id = '" + runId + "' AND state = 'SUCCEEDED'",
                1,
                "the fan-out run succeeded");

        Map<String, Long> startsPerItem =
                lines(starts).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(startsPerItem).as("items started on the hosts").hasSize(JOBS);
        assertThat(startsPerItem.values()).as("starts per item: none twice").containsOnly(1L);
        assertThat(count("SELECT count(*) FROM task_instances WHERE run_id = '" + runId + "' AND state = 'SUCCEEDED'"))
                .isEqualTo(JOBS);
        // what the killed node recorded but had not yet removed is released when it is found dead, and removed by
        // the host's new owner: on its debt timer, so a little after the run's end
        awaitSql("SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM cleanup_debts", 1, "every removal settled");
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left.filter(Files::isDirectory).toList())
                    .as("job directories left")
                    .isEmpty();
        }
        assertThat(processesIn(base)).as("job processes left").isEmpty();

        System.out.printf(
                "cluster: %d jobs on 3 hosts by 3 nodes, one SIGKILLed: run %d ms; logins per host %s%n",
                JOBS,
                count("SELECT CAST(EXTRACT(EPOCH FROM (ended_at - created_at)) * 1000 AS BIGINT) FROM runs WHERE id = '"
                        + runId + "'"),
                hosts.stream().map(h -> h.log().acceptedLogins()).toList());
        Map<String, String> ownerAtEnd = hostOwners();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).host() + ":" + hosts.get(i).port();
            Set<String> loggedIn = loginNodes(hosts.get(i), host);
            if (ownerAtKill.get(host).equals(victim)) {
                assertThat(loggedIn)
                        .as("logins to %s, owned by the killed node and then adopted", host)
                        .containsExactlyInAnyOrder(victim, ownerAtEnd.get(host));
                assertThat(ownerAtEnd.get(host)).isNotEqualTo(victim);
            } else {
                assertThat(loggedIn).as("logins to %s", host).containsExactly(ownerAtKill.get(host));
            }
        }
        for (int i = 0; i < nodeLogs.size(); i++) {
            assertConnectsOnlyToHostsItOwns(i);
        }

        System.setProperty("caravan.cluster.heartbeat", "1s"); // as the nodes were told
        System.setProperty("caravan.cluster.ttl", "5s");
        CaravanRuns.Result listed = CaravanRuns.cli("nodes", "--db", db);
        assertThat(listed.exit()).as(listed.out()).isZero();
        assertThat(listed.out()).as(listed.out()).containsPattern(Pattern.quote(victim) + " .* dead ");
        for (Map.Entry<String, String> owner : ownerAtEnd.entrySet()) {
            assertThat(listed.out())
                    .as(listed.out())
                    .containsPattern(Pattern.quote(owner.getValue()) + " .* live .*" + Pattern.quote(owner.getKey()));
        }

        // the cron: one run per two-second slot, whichever node fired it, and no slot lost while the killed
        // node's firing moved to another node (Quartz notices a dead scheduler after a few check-in intervals)
        List<Instant> slots =
                instants("SELECT scheduled_for FROM runs WHERE workflow_id = 'tick' ORDER BY scheduled_for");
        // one query: the nodes still fire while the test reads, so a count taken apart from the list may differ by one
        assertThat(slots)
                .as("cron slots fired (a node killed at %s)", killedAt)
                .doesNotContainNull()
                .hasSizeGreaterThanOrEqualTo(4)
                .doesNotHaveDuplicates()
                .allSatisfy(t ->
                        assertThat(t.toEpochMilli() % 2000).as("slot %s", t).isZero());
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i)))
                    .as("slots fired: %s", slots)
                    .isEqualTo(Duration.ofSeconds(2));
        }
    }

    /** Which node logged each of sshd's accepted logins, by the client port both sides log. */
    private Set<String> loginNodes(OpenSshServer server, String host) throws Exception {
        Map<Integer, String> portToNode = new HashMap<>();
        for (int i = 0; i < nodeLogs.size(); i++) {
            for (String line : Files.readAllLines(nodeLogs.get(i))) {
                Matcher m = CONNECTED.matcher(line);
                if (m.find() && m.group(1).equals(host)) {
                    portToNode.put(Integer.parseInt(m.group(2)), nodeId(i));
                }
            }
        }
        List<Integer> ports = server.log().loginPorts();
        assertThat(ports).as("logins to %s", host).isNotEmpty();
        assertThat(portToNode.keySet())
                .as("every login to %s made by a node", host)
                .containsAll(ports);
        return ports.stream().map(portToNode::get).collect(Collectors.toCollection(TreeSet::new));
    }

    /** In the node's own log, every connection to a host comes after the node took that host: it owned it then. */
    private void assertConnectsOnlyToHostsItOwns(int node) throws Exception {
        Set<String> owned = new TreeSet<>();
        for (String line : Files.readAllLines(nodeLogs.get(node))) {
            Matcher owns = OWNS.matcher(line);
            if (owns.find()) {
                owned.add(owns.group(2));
            }
            Matcher connected = CONNECTED.matcher(line);
            if (connected.find()) {
                assertThat(owned)
                        .as("node %d connected to %s: %s", node, connected.group(1), line)
                        .contains(connected.group(1));
            }
            assertThat(line)
                    .as("node %d gave no host up and lost none", node)
                    .doesNotContain("gave host")
                    .doesNotContain("lost host");
        }
    }

    /** A node's id as it logs it ("node ID joined"). */
    private String nodeId(int index) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(nodeLogs.get(index))) {
                Matcher m = Pattern.compile("node (\\S+) joined").matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + index + " never joined: " + Files.readString(nodeLogs.get(index)));
    }

    private int nodeIndex(String id) throws Exception {
        for (int i = 0; i < nodeLogs.size(); i++) {
            if (nodeId(i).equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no node " + id);
    }

    private Map<String, String> hostOwners() throws Exception {
        Map<String, String> owners = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT host, node_id FROM host_leases WHERE expires_at > now()")) {
            while (rs.next()) {
                owners.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(owners).as("host owners").hasSize(3);
        return owners;
    }

    private void awaitSql(String query, int atLeast, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (count(query) >= atLeast) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never: " + what + "\n" + tails());
    }

    private void awaitLines(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(file).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + lines(file).size() + " jobs started\n" + tails());
            }
            Thread.sleep(50);
        }
    }

    private String tails() throws Exception {
        StringBuilder out = new StringBuilder();
        for (Path log : nodeLogs) {
            List<String> lines = Files.readAllLines(log);
            // every ownership change of the node (taken, lost, given up, a node found gone), then its last lines
            out.append("--- ")
                    .append(log.getFileName())
                    .append(" (ClusterNode)\n")
                    .append(lines.stream()
                            .filter(l -> l.contains("ClusterNode"))
                            .collect(Collectors.joining("\n")))
                    .append("\n--- ")
                    .append(log.getFileName())
                    .append('\n')
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())))
                    .append('\n');
        }
        return out.toString();
    }

    private long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return -1; // tables not there yet: the first node is still migrating the schema
        }
    }

    private List<Instant> instants(String query) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                Timestamp t = rs.getTimestamp(1);
                out.add(t == null ? null : t.toInstant());
            }
        }
        return out;
    }

    /** Processes whose working directory is under {@code dir}: a job's shell and its children run in its directory. */
    private static List<String> processesIn(Path dir) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("cwd")).startsWith(dir);
                        } catch (IOException | SecurityException e) {
                            return false; // gone meanwhile
                        }
                    })
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file)
                ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "?user=postgres");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
