package org.creditlab.bench;

import org.creditlab.nn.Activation;
import org.creditlab.nn.Conv2d;
import org.creditlab.nn.Dense;
import org.creditlab.nn.GlobalAvgPool;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Network;
import org.creditlab.nn.Pool2d;
import org.creditlab.nn.PostOp;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * DL4J's own {@link MultiLayerNetwork} with the architecture of one of our networks (dense, conv, max/avg
 * pooling, global average pooling; softmax + cross-entropy readout), trained by DL4J's backprop and SGD: the
 * in-process reference the benchmark times our rules against. Weights are DL4J's own draws (timing only).
 */
public final class Dl4jNetworks {
    private Dl4jNetworks() { }

    /** Whether {@link #of} can translate the network (no batch norm, no NTK scaling, standard activations). */
    public static boolean supports(Network net) {
        for (Layer l : net.layers()) {
            if (l.norm() != null) return false;
            if (l.op() instanceof Dense d && d.scale() != 1.0) return false;
            if (l.op() instanceof Conv2d c && c.scale() != 1.0) return false;
        }
        return net.outputLayer().activation() == Activation.SOFTMAX && net.loss().id().equals("ce");
    }

    public static MultiLayerNetwork of(Network net, WorkspaceMode mode, long seed, double lr) {
        if (!supports(net)) throw new IllegalArgumentException("no DL4J equivalent for " + net.describe());
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT)
                .updater(new org.nd4j.linalg.learning.config.Sgd(lr))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .list();
        int i = 0;
        for (int l = 0; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            boolean last = l == net.depth() - 1;
            org.nd4j.linalg.activations.Activation act = activation(layer.activation());
            if (layer.op() instanceof Conv2d c) {
                long[] w = c.weightShape();
                ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                        .stride(c.stride(), c.stride()).nIn(w[1]).nOut(w[0]).activation(act).hasBias(layer.hasBias());
                if (c.padding() == Conv2d.Padding.SAME) b.convolutionMode(ConvolutionMode.Same);
                else b.convolutionMode(ConvolutionMode.Truncate).padding(c.pad(), c.pad());
                list.layer(i++, b.build());
            } else if (last) {
                list.layer(i++, new OutputLayer.Builder(new LossMCXENT()).nIn(layer.op().fanIn()).nOut(layer.op().fanOut())
                        .activation(act).hasBias(layer.hasBias()).build());
            } else {
                list.layer(i++, new DenseLayer.Builder().nIn(layer.op().fanIn()).nOut(layer.op().fanOut())
                        .activation(act).hasBias(layer.hasBias()).build());
            }
            for (PostOp p : layer.post()) {
                if (p instanceof Pool2d pool) {
                    list.layer(i++, new SubsamplingLayer.Builder(pool.kind() == Pool2d.Kind.MAX ? PoolingType.MAX : PoolingType.AVG)
                            .kernelSize(pool.kernel(), pool.kernel()).stride(pool.stride(), pool.stride()).build());
                } else if (p instanceof GlobalAvgPool) {
                    list.layer(i++, new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
                } else {
                    throw new IllegalArgumentException("no DL4J layer for " + p.id());
                }
            }
        }
        long[] in = net.layer(0).op().inputShape();
        if (in.length == 3) list.setInputType(InputType.convolutionalFlat(in[1], in[2], in[0]));
        MultiLayerNetwork m = new MultiLayerNetwork(list.build());
        m.init();
        return m;
    }

    private static org.nd4j.linalg.activations.Activation activation(Activation a) {
        return switch (a) {
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
            case LINEAR -> org.nd4j.linalg.activations.Activation.IDENTITY;
            case SOFTMAX -> org.nd4j.linalg.activations.Activation.SOFTMAX;
        };
    }
}
