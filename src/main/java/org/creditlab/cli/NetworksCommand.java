package org.creditlab.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.creditlab.UserError;
import org.creditlab.data.DatasetInfo;
import org.creditlab.data.Datasets;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code credit networks}: the named networks, or one network's layers and shapes on a dataset. */
@Command(name = "networks", mixinStandardHelpOptions = true,
        description = {"List the named networks (--network), or show one network's layers, shapes and parameters.",
                "Layer spec elements (--layers): conv<C>k<K>[s<S>][p<P>|same|valid], fc<N>, bn, relu|tanh|sigmoid|linear|act,",
                "maxpool<K>[s<S>], avgpool<K>[s<S>], gap, flatten; end with fc<classes>; prefix ntk: for the NTK parameterisation."})
public final class NetworksCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A named network to show.")
    String name;
    @Option(names = "--layers", paramLabel = "SPEC", description = "Show this layer spec instead.")
    String layers;
    @Option(names = "--dataset", paramLabel = "NAME", description = "Input shape and classes of this dataset. Default: mnist.")
    String dataset = "mnist";
    @Option(names = "--width", paramLabel = "C", description = "Channels of the presets that take a width.")
    int width;
    @Option(names = "--hidden", paramLabel = "W1,W2,...", description = "Hidden widths of the fc presets. Default: 500,500.")
    String hidden = "500,500";

    @Override public Integer call() {
        if (name == null && layers == null) {
            for (NetworkSpec.Preset p : NetworkSpec.PRESETS.values()) {
                String spec = spec(p.name(), null).specText();
                System.out.printf(Locale.ROOT, "%-12s %s%n%-12s   %s%n", p.name(), p.description(), "", spec);
            }
            System.out.println("(shown for mnist with --hidden 500,500; 'credit networks NAME --dataset D' shows shapes)");
            return 0;
        }
        if (name != null && layers != null) throw new UserError("give a network name or --layers, not both");
        NetworkSpec s = spec(layers != null ? NetworkSpec.CUSTOM : name, layers);
        Network net = s.build(Nd4j.getRandomFactory().getNewRandomInstance(1));
        System.out.println(net.describe());
        long[] in = s.inputShape();
        System.out.printf(Locale.ROOT, "  input   %s%n", Arrays.toString(in));
        for (int l = 0; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            long params = layer.weight().length() + (layer.hasBias() ? layer.bias().length() : 0);
            System.out.printf(Locale.ROOT, "  layer%-2d %-7s W %-16s -> %-14s %,10d params%n", l, layer.op().kind(),
                    Arrays.toString(layer.weight().shape()), Arrays.toString(layer.outputShape()), params);
        }
        System.out.printf(Locale.ROOT, "  total %,d parameters%n", net.parameterCount());
        return 0;
    }

    private NetworkSpec spec(String kind, String layerSpec) {
        DatasetInfo d = Datasets.info(dataset);
        return new NetworkSpec(kind, d.exampleShape(), parse(hidden), d.classes(), Activation.RELU, Activation.SOFTMAX,
                Initializer.XAVIER_NORMAL, true, Losses.byName("ce"), DataType.FLOAT, layerSpec, width);
    }

    private static List<Integer> parse(String text) {
        List<Integer> widths = new java.util.ArrayList<>();
        if (text.isBlank() || text.equals("none")) return widths;
        for (String part : text.split(",")) {
            try {
                int w = Integer.parseInt(part.trim());
                if (w <= 0) throw new NumberFormatException();
                widths.add(w);
            } catch (NumberFormatException e) {
                throw new UserError("--hidden expects positive integers separated by commas, e.g. 500,500; got '" + text + "'");
            }
        }
        return widths;
    }
}
