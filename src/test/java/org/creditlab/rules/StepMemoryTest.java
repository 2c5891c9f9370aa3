package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.creditlab.nn.StepMemory;
import org.creditlab.optim.Sgd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Rules run their step in a reused block of memory (StepMemory, an ND4J workspace) whose arrays are not zeroed
 * between steps. Step after step, a rule's updates, loss, logged scalars and state must be bit for bit those of the
 * same rule in fresh (zeroed) memory ({@link StepMemory#plain}), and for bp the gradient {@link Backprop#gradient}
 * computes without any block: a kernel that read memory it had not written would show up here. Nothing may escape a
 * block: every returned update and every state tensor lives outside it, and ND4J's workspace check (on for these
 * tests) fails any op that touches an array of a closed or since reused block, such as afterStep using an array
 * of the step's compute.
 */
class StepMemoryTest {
    private static final long[] IN = {1, 12, 12};
    private static final int CLASSES = 3;
    /** lenet-like, strided SAME convs, NTK convs with batch norm and global pooling, fc, fc with batch norm. */
    private static final List<String> NETWORKS = List.of("conv6k5p2,relu,maxpool2,conv16k5,relu,maxpool2,fc12,relu,fc3",
            "conv4k3s2same,relu,conv4k3same,relu,fc3", "ntk:conv4k3same,bn,relu,conv4k3same,bn,relu,gap,fc3", "fc7,relu,fc3",
            "ntk:fc7,bn,relu,fc5,bn,relu,fc3");
    /** Every rule that runs its step in a block, with the options that change what runs inside it. */
    private static final List<Object[]> RULES = List.of(
            rule("bp"), rule("fa"), rule("dfa"), rule("usf"), rule("frsf"), rule("brsf"), rule("kp"),
            rule("sa"), rule("aa"), rule("wm"), rule("wm", "input", "activity"), rule("ia"),
            rule("np"), rule("np", "noise", "shared"), rule("np", "precision", "double"), rule("np", "presynaptic", "noisy"),
            rule("wp"), rule("wp", "antithetic", true), rule("wp", "precision", "double"),
            rule("align-zero"), rule("align-ada"), rule("align-prop"),
            rule("pepita"), rule("pepita", "keep", 1.0), rule("pepita", "activation_norm", true), rule("pepita", "sign", "minus"));

    private static Object[] rule(String name, Object... options) {
        Map<String, Object> o = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) o.put((String) options[i], options[i + 1]);
        return new Object[] {name, o};
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] r : RULES) for (String spec : NETWORKS) out.add(Arguments.of(r[0], r[1], spec));
        return out.stream();
    }

    @BeforeAll
    static void checkWorkspaces() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkWorkspaces(true).build());
    }

    @AfterAll
    static void stopChecking() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
    }

    @ParameterizedTest(name = "{0} {1} on {2}")
    @MethodSource("cases")
    void stepsInReusedMemoryEqualStepsInFreshMemory(String name, Map<String, Object> options, String spec) {
        Network inBlock = ConvFixtures.build(spec, IN, CLASSES, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), true,
                DataType.FLOAT, 3);
        Network fresh = inBlock.copy();
        RuleInfo info = RuleRegistry.get(name);
        LearningRule ruleInBlock = info.create(new RuleOptions(name, options));
        LearningRule ruleFresh = info.create(new RuleOptions(name, options));
        RuleState stateInBlock = ruleInBlock.init(inBlock, RuleTestSupport.rng(5));
        RuleState stateFresh = ruleFresh.init(fresh, RuleTestSupport.rng(5));
        Sgd sgdA = new Sgd(), sgdB = new Sgd();
        for (int step = 0; step < 4; step++) {
            INDArray x = ConvFixtures.images(10 + step, 5 - step % 2, IN, DataType.FLOAT);   // batch sizes 5, 4, 5, 4
            Batch batch = batchOf(x, step);
            StepContext ctxA = RuleTestSupport.ctx(step, 11 + step), ctxB = RuleTestSupport.ctx(step, 11 + step);
            Updates u = ruleInBlock.compute(inBlock, batch, stateInBlock, ctxA);
            Updates g = StepMemory.plain(() -> ruleFresh.compute(fresh, batch, stateFresh, ctxB));
            assertEquals(g.loss(), u.loss(), 0.0, "loss at step " + step);
            assertEquals(g.scalars(), u.scalars(), "scalars at step " + step);
            assertEquals(g.asMap().keySet(), u.asMap().keySet());
            Map<String, float[]> before = new HashMap<>();
            for (Param p : inBlock.params()) {
                INDArray a = u.get(p.name());
                assertFalse(a.isAttached(), p.name() + " left in the step's memory");
                assertArrayEquals(floats(g.get(p.name())), floats(a), 0f, p.name() + " at step " + step);
                before.put(p.name(), floats(a));
            }
            if (name.equals("bp")) {
                Updates exact = Backprop.gradient(fresh, batch);
                for (Param p : fresh.params()) assertArrayEquals(floats(exact.get(p.name())), floats(u.get(p.name())), 0f, p.name());
            }
            sgdA.apply(inBlock.params(), u, 0.1);
            sgdB.apply(fresh.params(), g, 0.1);
            ruleInBlock.afterStep(inBlock, stateInBlock, ctxA);
            StepMemory.plain(() -> {
                ruleFresh.afterStep(fresh, stateFresh, ctxB);
                return null;
            });
            for (Param p : inBlock.params()) assertArrayEquals(before.get(p.name()), floats(u.get(p.name())), 0f, p.name() + " changed");
            assertEquals(stateFresh.tensors().keySet(), stateInBlock.tensors().keySet());
            for (Map.Entry<String, INDArray> e : stateInBlock.tensors().entrySet()) {
                assertFalse(e.getValue().isAttached(), e.getKey() + " in the step's memory");
                assertArrayEquals(floats(stateFresh.get(e.getKey())), floats(e.getValue()), 0f, e.getKey() + " after step " + step);
            }
        }
        for (int i = 0; i < inBlock.params().size(); i++) {
            assertArrayEquals(floats(fresh.params().get(i).value()), floats(inBlock.params().get(i).value()), 0f);
        }
    }

    /** The check the tests rely on: an array used after its step's block closed (here: not kept) fails the op. */
    @Test
    void anArrayUsedAfterItsStepFailsTheWorkspaceCheck() {
        StepMemory memory = new StepMemory("test");
        Supplier<INDArray> step = () -> Nd4j.ones(DataType.FLOAT, 4, 4).addi(1);
        INDArray kept = memory.run(() -> StepMemory.keep(step.get()));
        assertEquals(3.0, kept.add(1).getDouble(0), 0.0);
        INDArray escaped = memory.run(step);
        assertThrows(RuntimeException.class, () -> escaped.add(1));
    }

    private static float[] floats(INDArray a) {
        return a.dup().data().asFloat();
    }

    private static Batch batchOf(INDArray x, int seed) {
        int n = (int) x.size(0);
        int[] labels = new int[n];
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        for (int b = 0; b < n; b++) {
            labels[b] = (b + seed) % CLASSES;
            y.putScalar(b, labels[b], 1.0);
        }
        return new Batch(x, y, labels);
    }
}
