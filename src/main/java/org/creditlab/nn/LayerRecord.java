package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one layer's forward pass produced.
 *
 * @param input          h_{l-1}, the layer's input (x for the first layer)
 * @param z              the linear op's output before normalisation
 * @param normRecord     what the normalisation's backward pass needs (null without normalisation)
 * @param noise          the noise added to the pre-activation (null when none was added)
 * @param a              the pre-activation a_l (after normalisation and noise)
 * @param hBeforeDropout φ(a_l)
 * @param dropoutMask    the inverted-dropout mask (entries 0 or 1/keep), null when no dropout
 * @param h              the layer's output h_l = φ(a_l) ⊙ mask
 */
public record LayerRecord(INDArray input, INDArray z, Normalization.Normalized normRecord, INDArray noise,
                          INDArray a, INDArray hBeforeDropout, INDArray dropoutMask, INDArray h) { }
