package org.creditlab.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ND4J custom op (by its libnd4j name) run over and over, with its argument context built once and kept while
 * the argument arrays stay the same objects. Building an op and its context per call costs 6–22 µs of Java and JNI
 * work, more than the arithmetic of the small element-wise ops around a step's products (a bias add on [64, 1024]
 * or an SGD update of a [1024, 10] layer is 2–9 µs of it); a kept context costs about 2 µs, and re-pointing it at new
 * arrays (a step's workspace arrays are new objects every step) about 4 µs more. The arithmetic is the library op's
 * own: results are bit for bit those of the INDArray methods it replaces (tested per use).
 *
 * <p>Not thread-safe: an instance belongs to one owner used by one thread at a time (an optimizer, or a per-thread
 * kernel); its context is rebuilt if a different thread runs it.
 */
public final class PreparedOp {
    private final DynamicCustomOp op;
    private final boolean[] booleanArgs;
    private final long[] integerArgs;
    private double[] floatArgs = new double[0];
    private boolean floatArgsChanged;
    private OpContext context;
    private Thread owner;
    private INDArray[] inputs = new INDArray[0];
    private INDArray output;

    /** @param opName libnd4j's name of the op ("multiply", "biasadd", ...); {@code booleanArgs} its flags, if any */
    public PreparedOp(String opName, boolean... booleanArgs) {
        this(opName, new long[0], booleanArgs);
    }

    /** An op with integer arguments as well (libnd4j's iArgs: "matmul"'s transpose flags, for example). */
    public PreparedOp(String opName, long[] integerArgs, boolean... booleanArgs) {
        this.op = DynamicCustomOp.builder(opName).build();
        this.integerArgs = integerArgs.clone();
        this.booleanArgs = booleanArgs.clone();
    }

    /**
     * Sets the op's floating-point arguments (libnd4j's tArgs: "matmul"'s alpha and beta) for the following runs;
     * they are handed to the library only when they differ from the last ones. Returns this op.
     */
    public PreparedOp floatArgs(double... args) {
        if (!Arrays.equals(args, floatArgs)) {
            floatArgs = args.clone();
            floatArgsChanged = true;
        }
        return this;
    }

    /** Runs the op on {@code inputs} into {@code output} (which may be one of the inputs: in place); returns output. */
    public INDArray exec(INDArray output, INDArray... inputs) {
        if (context == null || owner != Thread.currentThread()) {
            context = Nd4j.getExecutioner().buildContext();
            if (booleanArgs.length > 0) context.setBArguments(booleanArgs);
            if (integerArgs.length > 0) context.setIArguments(integerArgs);
            floatArgsChanged = floatArgs.length > 0;
            owner = Thread.currentThread();
            this.inputs = new INDArray[0];
            this.output = null;
        }
        if (!sameObjects(inputs, this.inputs)) {
            context.setInputArrays(inputs);
            this.inputs = inputs.clone();
        }
        if (floatArgsChanged) {
            context.setTArguments(floatArgs);
            floatArgsChanged = false;
        }
        if (output != this.output) {
            context.setOutputArrays(output);
            this.output = output;
        }
        Nd4j.exec(op, context);
        return output;
    }

    private static boolean sameObjects(INDArray[] a, INDArray[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }
}
