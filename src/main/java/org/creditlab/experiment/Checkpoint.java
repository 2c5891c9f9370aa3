package org.creditlab.experiment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.creditlab.UserError;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything needed to continue a run exactly: network parameters, rule state (feedback matrices,
 * frozen copies, learned B), optimizer state, and where training stood. Random draws need no saving:
 * they are derived from (seed, purpose, step). One zip per checkpoint, entries "params/NAME",
 * "rule/NAME", "optimizer/NAME" in ND4J's binary format plus "position.json"; written atomically.
 */
public final class Checkpoint {
    public static final String FILE = "checkpoints/last.zip";

    /**
     * Where training stands: {@code epochsDone} complete epochs and {@code step} steps in all. A run
     * interrupted part-way through an epoch is saved there too: then {@code batchesDone} batches of the next
     * epoch are done and {@code epochLossSum} is the sum of their losses (null for an epoch boundary), so the
     * resumed epoch reports the same train loss as an uninterrupted one.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Position(int epochsDone, long step, Double bestTestAccuracy, Integer batchesDone, Double epochLossSum) {
        /** At the end of epoch {@code epochsDone}. */
        public Position(int epochsDone, long step, Double bestTestAccuracy) {
            this(epochsDone, step, bestTestAccuracy, null, null);
        }

        /** The start of a fresh run. */
        public static final Position START = new Position(0, 0, null);

        /** Batches of epoch {@code epochsDone + 1} already done (0 at an epoch boundary). */
        public int batchesIntoEpoch() { return batchesDone == null ? 0 : batchesDone; }
    }

    private Checkpoint() { }

    public static void save(Trainer.Session s, Position position, Path file) {
        AtomicFiles.writeWith(file, tmp -> {
            // The file stream is its own resource: on a full disk ZipOutputStream.close() throws before closing it (JDK 17).
            try (var raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                for (Param p : s.network().params()) put(zip, "params/" + p.name(), p.value());
                for (var e : s.ruleState().tensors().entrySet()) put(zip, "rule/" + e.getKey(), e.getValue());
                for (var e : s.optimizer().state().entrySet()) put(zip, "optimizer/" + e.getKey(), e.getValue());
                zip.putNextEntry(new ZipEntry("position.json"));
                zip.write(ConfigResolver.toJson(position).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        });
    }

    /** Overwrites the session's parameters, rule state and optimizer state; returns the saved position. */
    public static Position restore(Trainer.Session s, Path file) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> rule = new LinkedHashMap<>();
        Map<String, INDArray> optimizer = new LinkedHashMap<>();
        Position position = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.equals("position.json")) {
                    position = ConfigResolver.JSON.readValue(zip.readAllBytes(), Position.class);
                } else if (name.startsWith("params/")) {
                    params.put(name.substring(7), read(zip));
                } else if (name.startsWith("rule/")) {
                    rule.put(name.substring(5), read(zip));
                } else if (name.startsWith("optimizer/")) {
                    optimizer.put(name.substring(10), read(zip));
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("no checkpoint at " + file);
        } catch (IOException | RuntimeException e) {
            throw new UserError("checkpoint " + file + " is unreadable: " + e.getMessage());
        }
        if (position == null) throw new UserError("checkpoint " + file + " has no position.json");
        for (Param p : s.network().params()) {
            INDArray saved = params.get(p.name());
            if (saved == null || !java.util.Arrays.equals(saved.shape(), p.value().shape())) {
                throw new UserError("checkpoint " + file + " does not match the network (parameter " + p.name() + ")");
            }
            p.value().assign(saved);
        }
        for (var e : rule.entrySet()) {
            if (s.ruleState().has(e.getKey())) s.ruleState().get(e.getKey()).assign(e.getValue());
            else s.ruleState().put(e.getKey(), e.getValue());
        }
        s.optimizer().loadState(optimizer);
        return position;
    }

    private static void put(ZipOutputStream zip, String name, INDArray value) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream out = new DataOutputStream(nonClosing(zip));
        Nd4j.write(value, out);
        out.flush();
        zip.closeEntry();
    }

    private static INDArray read(InputStream in) throws IOException {
        return Nd4j.read(new DataInputStream(new java.io.ByteArrayInputStream(in.readAllBytes())));
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void close() throws IOException { flush(); }
        };
    }
}
