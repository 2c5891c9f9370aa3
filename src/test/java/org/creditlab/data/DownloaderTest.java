package org.creditlab.data;

import com.sun.net.httpserver.HttpServer;
import org.creditlab.UserError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The download path against a local HTTP server on 127.0.0.1 (never a real host). */
class DownloaderTest {
    @TempDir Path tmp;
    private HttpServer server;
    private URI base;
    /** path -> body to serve. */
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();

    private static final byte[] CONTENT = TestData.gzip(TestData.idxLabels(1, 2, 3, 4, 5, 6, 7, 8, 9, 0));
    private static final DataFile FILE = new DataFile("train-labels-idx1-ubyte.gz", CONTENT.length, Sha256.hex(CONTENT), null);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            synchronized (requests) {
                requests.add(path);
            }
            byte[] body = bodies.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DatasetInfo info(String... mirrors) {
        return new DatasetInfo("mnist", "test", new long[] {1, 28, 28}, 10, DatasetFormat.IDX, List.of(FILE),
                List.of(), List.of()).withMirrors(Stream.of(mirrors).map(base::resolve).toList());
    }

    private List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void goodFileLandsWithItsDigest() throws IOException {
        bodies.put("/good/" + FILE.name(), CONTENT);
        List<String> log = new ArrayList<>();
        Path dir = DatasetFetcher.fetch(info("good/"), tmp, log::add);
        assertEquals(tmp.resolve("mnist"), dir);
        assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve(FILE.name())));
        assertEquals(List.of(dir.resolve(FILE.name())), filesIn(dir), "no temporary file may remain");
        assertTrue(log.get(0).startsWith("downloading " + FILE.name()), log.toString());
        // a second fetch sees the valid file and does not download again
        int before = requests.size();
        DatasetFetcher.fetch(info("good/"), tmp, log::add);
        assertEquals(before, requests.size());
        assertEquals(FileCheck.Status.OK, DatasetFetcher.verify(info("good/"), tmp).get(0).status());
    }

    @Test
    void badChecksumLeavesNothingBehind() throws IOException {
        byte[] bad = CONTENT.clone();
        bad[bad.length - 5] ^= 0x40;
        bodies.put("/bad/" + FILE.name(), bad);
        UserError e = assertThrows(UserError.class, () -> DatasetFetcher.fetch(info("bad/"), tmp, s -> { }));
        assertTrue(e.getMessage().contains(FILE.name()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + FILE.sha256()), e.getMessage());
        assertTrue(e.getMessage().contains("got " + Sha256.hex(bad)), e.getMessage());
        assertEquals(List.of(), filesIn(tmp.resolve("mnist")));
    }

    /**
     * A raw socket, because com.sun's HttpServer keeps the connection open after a short body: announce
     * 1000 bytes more than are sent, send half the body, close.
     */
    @Test
    void truncatedBodyLeavesNothingBehind() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = raw.accept()) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line; (line = r.readLine()) != null && !line.isEmpty(); ) { } // request headers
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (CONTENT.length + 1000) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(CONTENT, 0, CONTENT.length / 2);
                    out.flush();
                } catch (IOException ignored) {
                    // the client side is what is tested
                }
            });
            t.setDaemon(true);
            t.start();
            DatasetInfo info = info().withMirrors(List.of(URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/x/")));
            UserError e = assertThrows(UserError.class, () -> DatasetFetcher.fetch(info, tmp, s -> { }));
            assertTrue(e.getMessage().startsWith("could not download mnist: " + FILE.name()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertEquals(List.of(), filesIn(tmp.resolve("mnist")));
            t.join(5000);
        }
    }

    @Test
    void truncatedBodyThroughHttpServerIsAlsoCaught() throws IOException {
        // a body shorter than the official size with a correct Content-Length: caught by size/digest
        bodies.put("/short/" + FILE.name(), java.util.Arrays.copyOf(CONTENT, CONTENT.length - 7));
        UserError e = assertThrows(UserError.class, () -> DatasetFetcher.fetch(info("short/"), tmp, s -> { }));
        assertTrue(e.getMessage().startsWith("could not download mnist: " + FILE.name()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(List.of(), filesIn(tmp.resolve("mnist")));
    }

    @Test
    void fallsBackToTheNextMirror() throws IOException {
        bodies.put("/second/" + FILE.name(), CONTENT);
        List<String> log = new ArrayList<>();
        Path dir = DatasetFetcher.fetch(info("first/", "second/"), tmp, log::add);
        assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve(FILE.name())));
        assertEquals(List.of("/first/" + FILE.name(), "/second/" + FILE.name()), requests);
        assertTrue(log.stream().anyMatch(l -> l.contains("HTTP 404")), log.toString());
    }

    /**
     * Offline or 404 at every mirror: no connection is ever made, and (the bug) each attempt left its empty
     * {@code .NAME.*.part} temp file behind, two per offline MNIST run. Nothing may remain, not even the folder.
     */
    @Test
    void mirrorsThatCannotBeReachedLeaveNoPartFiles() throws IOException {
        UserError notFound = assertThrows(UserError.class, () -> DatasetFetcher.fetch(info("a/", "b/"), tmp, s -> { }));
        assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
        assertEquals(List.of(), filesIn(tmp.resolve("mnist")));
        assertTrue(!Files.exists(tmp.resolve("mnist")), "the folder fetch created for the files is removed again");

        Files.createDirectories(tmp.resolve("mnist"));
        Files.writeString(tmp.resolve("mnist").resolve("notes.txt"), "mine");
        server.stop(0); // offline: the connection is refused
        assertThrows(UserError.class, () -> DatasetFetcher.fetch(info("a/"), tmp, s -> { }));
        assertEquals(List.of(tmp.resolve("mnist").resolve("notes.txt")), filesIn(tmp.resolve("mnist")),
                "a folder that was there before is kept, with only its own files");
    }

    @Test
    void dataFetchOfflineLeavesNoPartFiles() {
        server.stop(0);
        LookupContext ctx = new LookupContext(tmp.resolve("work"), null, null, null, List.of(), base.resolve("m/"));
        for (int run = 0; run < 3; run++) {
            assertThrows(UserError.class, () -> Datasets.load("kmnist", new DataRequest(null, true, false, s -> { }), ctx));
        }
        assertTrue(!Files.exists(tmp.resolve("work/data/kmnist")), "three offline runs leave nothing in data/kmnist");
    }

    @Test
    void anInvalidFileOnDiskIsReplaced() throws IOException {
        bodies.put("/good/" + FILE.name(), CONTENT);
        Files.createDirectories(tmp.resolve("mnist"));
        Files.write(tmp.resolve("mnist").resolve(FILE.name()), new byte[] {1, 2, 3});
        assertEquals(FileCheck.Status.MISMATCH, DatasetFetcher.verify(info("good/"), tmp).get(0).status());
        DatasetFetcher.fetch(info("good/"), tmp, s -> { });
        assertArrayEquals(CONTENT, Files.readAllBytes(tmp.resolve("mnist").resolve(FILE.name())));
    }

    @Test
    void loadDownloadsRealFashionMnistThroughAMirrorOverride() throws IOException {
        TestData.requireFmnist();
        for (DataFile f : Datasets.info("fmnist").files()) bodies.put("/m/fmnist/" + f.name(), TestData.officialFmnist(f.name()));
        Path work = tmp.resolve("work");
        LookupContext ctx = new LookupContext(work, null, null, null, List.of(), base.resolve("m/"));
        LoadedDataset d = Datasets.load("fmnist", new DataRequest(null, true, false, s -> { }), ctx);
        assertEquals(work.resolve("data/fmnist"), d.source());
        assertEquals(60000, d.train().size());
        for (DataFile f : Datasets.info("fmnist").files()) assertEquals(f.sha256(), d.sha256().get(f.name()));
        for (FileCheck c : DatasetFetcher.verify(Datasets.info("fmnist"), work.resolve("data"))) {
            assertEquals(FileCheck.Status.OK, c.status(), c.describe());
        }
    }

    @Test
    void unreachableMirrorGivesOneLineAndMnistFallsBackToTheSample() {
        server.stop(0); // nothing listens on the port any more
        LookupContext ctx = new LookupContext(tmp.resolve("work"), null, null, null, List.of(), base.resolve("m/"));
        UserError e = assertThrows(UserError.class,
                () -> Datasets.load("kmnist", new DataRequest(null, true, false, s -> { }), ctx));
        assertTrue(e.getMessage().startsWith("could not download kmnist: train-images-idx3-ubyte.gz failed from every mirror"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));

        LookupContext withCode = new LookupContext(tmp.resolve("work"), null, null, Path.of("target/classes").toAbsolutePath(),
                List.of(), base.resolve("m/"));
        List<String> warnings = new ArrayList<>();
        LoadedDataset d = Datasets.load("mnist", new DataRequest(null, true, true, warnings::add), withCode);
        assertEquals("sample", d.variant());
        assertTrue(warnings.get(warnings.size() - 1).contains("could not download mnist"), warnings.toString());
    }
}
