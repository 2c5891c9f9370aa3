package org.creditlab.nn;

import java.lang.ref.Cleaner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One block of memory for the arrays of a training step that die with it (the forward pass's records, the
 * errors, the ops' temporaries), reused from step to step: an ND4J workspace. Outside one, every array of a step
 * is fresh memory: ND4J frees an array only when the JVM collects its object, so the allocator hands out new pages,
 * which ND4J then zeroes (its "uninitialized" arrays are memset too) at a page fault per 4 KiB; on LeNet at batch
 * 100 that was several ms of a ~15 ms step. What must outlive the step is copied out with {@link #keep}, and
 * buffers that live across steps ({@link Scratch}, optimizer state, rule state) are allocated outside workspaces.
 * A step is run by one thread; each owner (a rule instance) has its own block. {@link #plain} runs steps in fresh
 * memory instead, the path every converted rule is tested against.
 */
public final class StepMemory {
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** Set while {@link #plain} runs on this thread. */
    private static final ThreadLocal<Boolean> PLAIN = ThreadLocal.withInitial(() -> false);

    /** Frees the blocks of instances nobody holds any more (ND4J keeps a thread's workspaces until the thread ends). */
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final String id;
    private final Blocks blocks = new Blocks();

    /** @param owner names the block in ND4J's workspace list (made unique per instance) */
    public StepMemory(String owner) {
        this.id = "credit-step-" + owner + "-" + INSTANCES.incrementAndGet();
        CLEANER.register(this, blocks);
    }

    /** Runs one step in the block; whatever it returns must have been {@link #keep}-ed or live outside it. */
    public <T> T run(Supplier<T> step) {
        if (PLAIN.get()) return step.get();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id)) {
            blocks.add(ws);
            return step.get();
        }
    }

    /**
     * The blocks one instance opened (one per thread that ran its steps). When the instance becomes unreachable
     * nothing can run in them again, so their memory is released: without this a library user who trains many
     * networks in one JVM keeps one step's worth of native memory (hundreds of MB for a conv net) per rule
     * instance for the life of the thread. Must not refer to its StepMemory, or the instance never becomes
     * unreachable.
     */
    private static final class Blocks implements Runnable {
        private final Set<MemoryWorkspace> opened = ConcurrentHashMap.newKeySet();

        void add(MemoryWorkspace ws) {
            opened.add(ws);
        }

        @Override public void run() {
            for (MemoryWorkspace ws : opened) ws.destroyWorkspace(true);
            opened.clear();
        }
    }

    /**
     * Runs {@code work} with every block of this thread switched off, so that steps allocate fresh (zeroed) memory
     * as they did before any rule used a block: the reference a rule's results in its block are compared against.
     */
    public static <T> T plain(Supplier<T> work) {
        boolean outer = PLAIN.get();
        PLAIN.set(true);
        try {
            return work.get();
        } finally {
            PLAIN.set(outer);
        }
    }

    /** {@code a} itself when it lives outside every workspace (e.g. a {@link Scratch} buffer), else a copy outside. */
    public static INDArray keep(INDArray a) {
        return a == null || !a.isAttached() ? a : a.detach();
    }
}
