package io.caravan.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Every write is noted, and waits until {@link #release} opens: a burst can gather behind the first. */
    private GroupCommit<Integer, Integer> heldAtFirstWrite(Function<List<Integer>, List<Integer>> answer, int max) {
        return new GroupCommit<>(
                items -> {
                    batches.add(List.copyOf(items));
                    firstWriteStarted.countDown();
                    await(release);
                    return answer.apply(items);
                },
                executor,
                max);
    }

    /** Item 0, whose write is under way once this returns. */
    private CompletableFuture<Integer> firstItemWriting(GroupCommit<Integer, Integer> commit)
            throws InterruptedException {
        CompletableFuture<Integer> first = commit.add(0);
        assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void whatArrivesDuringAWriteGoesIntoTheNextBatchAndEveryItemGetsItsOwnAnswer() throws Exception {
        GroupCommit<Integer, Integer> commit =
                heldAtFirstWrite(items -> items.stream().map(i -> i * 10).toList(), 50);
        CompletableFuture<Integer> first = firstItemWriting(commit);
        List<CompletableFuture<Integer>> burst = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            burst.add(commit.add(i));
        }
        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
        for (int i = 0; i < burst.size(); i++) {
            assertThat(burst.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
        }
        assertThat(batches)
                .as("a lone first item at once, then the burst in batches of at most 50")
                .extracting(List::size)
                .containsExactly(1, 50, 50, 20);
    }

    @Test
    void aBatchThatFailsIsWrittenAgainItemByItemSoOnlyTheBadItemFails() throws Exception {
        GroupCommit<Integer, Integer> commit = heldAtFirstWrite(
                items -> {
                    if (items.contains(13)) {
                        throw new IllegalStateException("13 is refused");
                    }
                    return items;
                },
                100);
        CompletableFuture<Integer> blocker = firstItemWriting(commit);
        List<CompletableFuture<Integer>> rest = new ArrayList<>();
        for (int i = 10; i < 16; i++) {
            rest.add(commit.add(i));
        }
        release.countDown();

        assertThat(blocker.get(5, TimeUnit.SECONDS)).isZero();
        for (int i = 0; i < rest.size(); i++) {
            int item = 10 + i;
            if (item == 13) {
                assertThatThrownBy(() -> rest.get(3).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("13 is refused");
            } else {
                assertThat(rest.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(item);
            }
        }
        assertThat(batches).extracting(List::size).containsExactly(1, 6, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void anExecutorThatIsShutDownFailsTheItemsInsteadOfLosingThem() {
        executor.shutdown();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(items -> items, executor, 10);

        assertThatThrownBy(() -> commit.add(1).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
