package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A named trainable tensor of a network, e.g. "layer0.W". The value is the live array (updated in place). */
public record Param(String name, int layer, Kind kind, INDArray value) {
    public enum Kind { WEIGHT, BIAS }

    public static String weightName(int layer) { return "layer" + layer + ".W"; }

    public static String biasName(int layer) { return "layer" + layer + ".b"; }
}
