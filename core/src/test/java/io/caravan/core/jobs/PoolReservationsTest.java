package io.caravan.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import io.caravan.core.ssh.SshTarget;
import io.caravan.core.workflow.HostCapacity;
import io.caravan.core.workflow.MemorySize;
import org.junit.jupiter.api.Test;

/** Placement by resources in one process: the rules; the end-to-end behaviour is GpuPlacementOpenSshTest's. */
class PoolReservationsTest {
    private static final SshTarget A = SshTarget.of("u", "a", 22);
    private static final SshTarget B = SshTarget.of("u", "b", 22);

    private static HostPool pool(HostPool.Member... members) {
        return new HostPool("rigs", List.of(members));
    }

    private static HostPool.Member gpus(SshTarget t, int gpus) {
        return new HostPool.Member(t, 16, new HostCapacity(HostCapacity.indices(gpus), false, null, 0, null));
    }

    private static PlacementRequest gpus(int n) {
        return new PlacementRequest(n, null, 0, 0);
    }

    @Test
    void noGpuIsHeldByTwoJobsAndAFreedOneGoesToTheNextInLine() {
        PoolReservations board = new PoolReservations();
        HostPool pool = pool(gpus(A, 4));
        List<CompletableFuture<Reservation>> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            placed.add(board.reserve(pool, "job" + i, gpus(1)));
        }

        assertThat(placed.subList(0, 4)).allMatch(CompletableFuture::isDone);
        assertThat(placed.subList(4, 6)).noneMatch(CompletableFuture::isDone);
        Set<Integer> held = new HashSet<>();
        placed.subList(0, 4).forEach(f -> held.addAll(f.join().gpus()));
        assertThat(held).containsExactlyInAnyOrder(0, 1, 2, 3);

        board.free(placed.get(2).join());
        assertThat(placed.get(4).join().gpus()).isEqualTo(placed.get(2).join().gpus());
        assertThat(placed.get(5)).isNotDone();
        assertThat(board.gpuHolders(A.hostAndPort())).containsValues("job0", "job1", "job3", "job4");
    }

    @Test
    void aLargeRequestIsNotStarvedBySmallOnesBehindIt() {
        PoolReservations board = new PoolReservations();
        HostPool pool = pool(gpus(A, 4));
        Reservation first = board.reserve(pool, "small0", gpus(1)).join();
        Reservation second = board.reserve(pool, "small1", gpus(1)).join();
        CompletableFuture<Reservation> large = board.reserve(pool, "large", gpus(4));
        CompletableFuture<Reservation> later = board.reserve(pool, "small2", gpus(1));

        assertThat(later).as("2 GPUs are free, but the large job came first").isNotDone();
        board.free(first);
        assertThat(large).isNotDone();
        assertThat(later).isNotDone();
        board.free(second);
        assertThat(large.join().gpus()).containsExactly(0, 1, 2, 3);
        board.free(large.join());
        assertThat(later.join().gpus()).hasSize(1);
    }

    @Test
    void pairsAreDisjointAndCpusAndMemoryBoundWhatRunsAtOnce() {
        PoolReservations board = new PoolReservations();
        HostPool.Member host = new HostPool.Member(
                A, 16, new HostCapacity(HostCapacity.indices(4), false, null, 8, MemorySize.parse("16G")));
        HostPool pool = pool(host);
        Reservation p1 = board.reserve(pool, "p1", gpus(2)).join();
        Reservation p2 = board.reserve(pool, "p2", gpus(2)).join();
        assertThat(p1.gpus()).doesNotContainAnyElementsOf(p2.gpus());

        PlacementRequest big =
                new PlacementRequest(0, null, 6, MemorySize.parse("8G").bytes());
        Reservation c1 = board.reserve(pool, "c1", big).join();
        assertThat(c1.gpus()).isEmpty();
        assertThat(board.reserve(pool, "c2", big)).as("2 of 8 CPUs left").isNotDone();
    }

    @Test
    void aRequestNoHostCouldHoldFailsAtOnceSayingWhatTheHostsHave() {
        PoolReservations board = new PoolReservations();
        CompletableFuture<Reservation> f = board.reserve(pool(gpus(A, 4), gpus(B, 2)), "huge", gpus(8));

        assertThat(f).isCompletedExceptionally();
        assertThat(catchCause(f))
                .isInstanceOf(Unplaceable.class)
                .hasMessageContaining("no host of pool 'rigs' can ever run" + " a job asking for 8 GPUs")
                .hasMessageContaining("a:22 gpus 4");
        assertThat(catchCause(board.reserve(pool(gpus(A, 4)), "typed", new PlacementRequest(1, "h100", 0, 0))))
                .isInstanceOf(Unplaceable.class);
    }

    @Test
    void storedReservationsOfAHostAreTakenBackBeforeItsFirstUseAndAdoptedWithTheSameIndices() {
        Map<String, List<Reservation.Stored>> stored = Map.of(
                A.hostAndPort(),
                List.of(
                        new Reservation.Stored("run1-a-0", List.of(1), 0, 0),
                        new Reservation.Stored("run1-b-0", List.of(3), 0, 0)));
        List<String> reads = new ArrayList<>();
        PoolReservations board = new PoolReservations(
                t -> true,
                h -> {
                    reads.add(h);
                    return stored.getOrDefault(h, List.of());
                },
                h -> 0,
                Duration.ofHours(1)); // what is read at first use, not the later re-reads
        HostPool pool = pool(gpus(A, 4));

        Reservation fresh = board.reserve(pool, "run2-x-0", gpus(2)).join();
        assertThat(fresh.gpus())
                .as("1 and 3 are held by jobs a resumed run will adopt")
                .containsExactly(0, 2);
        Reservation adopted =
                board.adopt(pool, A.hostAndPort(), "run1-b-0", gpus(1)).join();
        assertThat(adopted.gpus()).containsExactly(3);
        assertThat(board.reserve(pool, "run2-y-0", gpus(1))).isNotDone();
        assertThat(reads).as("read once, before the first use").containsExactly(A.hostAndPort());

        board.free(adopted);
        assertThat(board.gpuHolders(A.hostAndPort())).containsEntry(3, "run2-y-0");
    }

    @Test
    void aHostTakenAnewHasItsStoredReservationsReadAgainSoAnotherNodesGpusAreNotHandedOut() {
        // this node used A and gave it up; another node placed a job on GPU 0 meanwhile; this node takes A back
        List<Reservation.Stored> storedOnA = new ArrayList<>();
        AtomicLong taken = new AtomicLong(1);
        List<String> reads = new ArrayList<>();
        PoolReservations board = new PoolReservations(
                t -> true,
                h -> {
                    reads.add(h);
                    return List.copyOf(storedOnA);
                },
                h -> taken.get(),
                Duration.ofHours(1)); // what is read when taken anew, not the later re-reads
        HostPool pool = pool(gpus(A, 2));
        Reservation mine = board.reserve(pool, "run1-a-0", gpus(1)).join();
        assertThat(mine.gpus()).containsExactly(0);
        board.free(mine);
        assertThat(reads).as("read once while the host stays taken").hasSize(1);

        storedOnA.add(new Reservation.Stored("run2-b-0", List.of(0), 0, 0));
        taken.incrementAndGet();

        assertThat(board.reserve(pool, "run1-a-1", gpus(1)).join().gpus())
                .as("GPU 0 is the other node's job's")
                .containsExactly(1);
        assertThat(board.reserve(pool, "run1-a-2", gpus(1))).isNotDone();
        assertThat(board.gpuHolders(A.hostAndPort()))
                .containsEntry(0, "run2-b-0")
                .containsEntry(1, "run1-a-1");
        assertThat(reads).as("read again once, when taken anew").hasSize(2);
    }

    @Test
    void whatAnotherNodesJobHeldIsFreedOnceItIsNoLongerStoredAndTheNextInLineTakesIt() {
        // this node took A while another node's job ran there on GPU 0 (a lapsed lease: that node ends the job itself)
        List<Reservation.Stored> storedOnA =
                new ArrayList<>(List.of(new Reservation.Stored("run2-b-0", List.of(0), 0, 0)));
        PoolReservations board = new PoolReservations(t -> true, h -> List.copyOf(storedOnA), h -> 1, Duration.ZERO);
        HostPool pool = pool(gpus(A, 1));
        CompletableFuture<Reservation> mine = board.reserve(pool, "run1-a-0", gpus(1));
        assertThat(mine).as("GPU 0 is the other node's job's").isNotDone();
        assertThat(board.freeSlots(pool, t -> true)).containsEntry(A.hostAndPort(), 15);

        board.freeSlots(pool, t -> true);
        assertThat(mine).as("still stored: still held").isNotDone();

        storedOnA.clear(); // the other node's job ended
        assertThat(board.freeSlots(pool, t -> true)).containsEntry(A.hostAndPort(), 15);
        assertThat(mine).as("freed once no longer stored").isDone();
        assertThat(mine.join().gpus()).containsExactly(0);
        assertThat(board.gpuHolders(A.hostAndPort())).containsOnly(Map.entry(0, "run1-a-0"));
    }

    @Test
    void aStoredJobThisProcessAdoptsIsItsOwnAndStaysHeldUntilItsEnd() {
        List<Reservation.Stored> storedOnA =
                new ArrayList<>(List.of(new Reservation.Stored("run1-a-0", List.of(0), 0, 0)));
        PoolReservations board = new PoolReservations(t -> true, h -> List.copyOf(storedOnA), h -> 1, Duration.ZERO);
        HostPool pool = pool(gpus(A, 1));
        board.freeSlots(pool, t -> true);
        Reservation adopted =
                board.adopt(pool, A.hostAndPort(), "run1-a-0", gpus(1)).join();

        storedOnA.clear(); // its row ends before this process frees it (the end is written first)
        board.freeSlots(pool, t -> true);
        CompletableFuture<Reservation> next = board.reserve(pool, "run1-a-1", gpus(1));
        assertThat(next)
                .as("the adopted job holds GPU 0 until this process frees it")
                .isNotDone();
        board.free(adopted);
        assertThat(next).isDone();
        assertThat(next.join().gpus()).containsExactly(0);
    }

    private static Throwable catchCause(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
