package org.creditlab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The per-layer record of one forward pass; layer indices run 0..L-1 (the last is the output layer). */
public final class ForwardPass {
    private final List<LayerRecord> records;

    ForwardPass(List<LayerRecord> records) {
        this.records = Collections.unmodifiableList(records);
    }

    public int depth() { return records.size(); }
    public LayerRecord layer(int l) { return records.get(l); }
    public LayerRecord last() { return records.get(records.size() - 1); }
    /** The network's output ŷ. */
    public INDArray output() { return last().h(); }
    /** The input of layer l (h_{l-1}; x for l = 0). */
    public INDArray input(int l) { return records.get(l).input(); }
    public INDArray preActivation(int l) { return records.get(l).a(); }
    public INDArray activation(int l) { return records.get(l).h(); }

    /** The dropout masks of every layer (null entries where none), for reuse in a second pass. */
    public List<INDArray> dropoutMasks() {
        List<INDArray> masks = new ArrayList<>();
        for (LayerRecord r : records) masks.add(r.dropoutMask());
        return masks;
    }
}
