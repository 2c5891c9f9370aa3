package org.creditlab.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one layer's forward pass produced.
 *
 * @param input          h_{l-1}, the layer's input (x for the first layer)
 * @param z              the linear op's output before normalisation
 * @param normRecord     what the normalisation's backward pass needs (null without normalisation)
 * @param noise          the noise added to the pre-activation (null when none was added)
 * @param a              the pre-activation a_l (after normalisation and noise)
 * @param hBeforeDropout φ(a_l), at the op's output resolution (before any pooling)
 * @param dropoutMask    the inverted-dropout mask (entries 0 or 1/keep), null when no dropout
 * @param h              the layer's output h_l = post(φ(a_l)) ⊙ mask
 * @param postInputs     the input of each of the layer's {@link PostOp}s, in order (empty without pooling)
 */
public record LayerRecord(INDArray input, INDArray z, Normalization.Normalized normRecord, INDArray noise,
                          INDArray a, INDArray hBeforeDropout, INDArray dropoutMask, INDArray h,
                          List<INDArray> postInputs) {

    /** A record of a layer without pooling. */
    public LayerRecord(INDArray input, INDArray z, Normalization.Normalized normRecord, INDArray noise,
                       INDArray a, INDArray hBeforeDropout, INDArray dropoutMask, INDArray h) {
        this(input, z, normRecord, noise, a, hBeforeDropout, dropoutMask, h, List.of());
    }

    /**
     * The activity at the op's output resolution: h_l itself for a layer without pooling, φ(a_l) before the
     * pooling otherwise (what PEPITA compares between its passes, as its conv code does).
     */
    public INDArray unpooled() {
        return postInputs.isEmpty() ? h : hBeforeDropout;
    }
}
