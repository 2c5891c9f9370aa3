package org.creditlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the library" section as a library user follows it: the plain jar
 * ({@code target/credit-<version>.jar}, after {@code package}) is installed with its pom into a temporary local
 * repository, and a separate Maven project, generated in a temporary folder with the README's dependency snippet,
 * compiles the README's Java example against it and runs it. The README's blocks are read from the README itself,
 * so that neither can drift from what works.
 *
 * <p>Offline and without writing credit into the user's {@code ~/.m2} (only the two plugins the test calls by name
 * are first resolved into it, as any build would): the temporary local repository takes credit from
 * {@code install:install-file} and every other artifact from a {@code file:} mirror of the populated {@code ~/.m2}
 * (Maven 3.8 has no read-only chained local repositories), in offline mode with only the {@code file:} protocol
 * allowed, so nothing goes to the network. The user project sets {@code -Djavacpp.platform=linux-x86_64}, as the
 * README tells users to (otherwise ND4J's platform artifact asks for every platform's native libraries).
 */
class LibraryUseIT {
    private static final Path README = Path.of("README.md");
    private static final String INSTALL_PLUGIN = "org.apache.maven.plugins:maven-install-plugin:3.1.2";
    /** Any version would do now that step 0 resolves it into ~/.m2; 2.8 is the one this test has always run. */
    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:2.8";

    record Run(int exitCode, String output) { }

    private static String property(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && !v.isBlank() && !v.startsWith("${"), "failsafe passes -D" + name + " (pom.xml): " + v);
        return v;
    }

    private static Run run(Path dir, Path log, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The fenced block of the given language in the README's section that starts with {@code heading}. */
    static String block(String readme, String heading, String language, String mustContain) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has a section " + heading);
        int end = readme.indexOf("\n## ", start + heading.length() + 2);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            if (m.group(1).contains(mustContain)) return m.group(1);
        }
        throw new AssertionError("README's " + heading + " has no ```" + language + " block with " + mustContain);
    }

    /** The README's Java fragment (imports, then statements) as a class with a main method. */
    static String asProgram(String fragment, String className) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : fragment.split("\n", -1)) {
            if (line.startsWith("import ")) imports.append(line).append('\n');
            else body.append("        ").append(line).append('\n');
        }
        return imports + "\npublic class " + className + " {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
    }

    @Test
    void readmeExampleBuildsAndRunsInASeparateMavenProject(@TempDir Path tmp) throws Exception {
        String version = property("credit.version");
        Path mvn = Path.of(property("maven.home"), "bin", "mvn");
        Path userRepo = Path.of(property("credit.localRepository"));
        Path jar = Path.of("target", "credit-" + version + ".jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run after package: " + jar);
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String section = "## Using the library";
        String dependency = block(readme, section, "xml", "<artifactId>credit</artifactId>");
        assertTrue(dependency.contains("<groupId>org.creditlab</groupId>"), dependency);
        assertTrue(dependency.contains("<version>" + version + "</version>"),
                "the README's dependency names pom.xml's version " + version + ":\n" + dependency);
        String example = block(readme, section, "java", "Experiment.prepare");

        Path repo = tmp.resolve("repo");
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror><id>populated-m2</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(userRepo.toUri()));
        // 0. The two plugins the steps below call by name are no part of credit's own build, so ~/.m2 may lack them
        // (or some of their dependencies); have Maven resolve them into it first, as any build does (from Maven
        // Central when missing, from ~/.m2 alone when present).
        Run fetched = run(tmp, tmp.resolve("fetch.log"), List.of(mvn.toString(), "-B", "-q",
                INSTALL_PLUGIN + ":help", DEPENDENCY_PLUGIN + ":help"));
        assertEquals(0, fetched.exitCode(), "resolving " + INSTALL_PLUGIN + " and " + DEPENDENCY_PLUGIN + ":\n" + fetched.output());

        // Offline (-o), except for file: repositories: the mirror is read, the network never.
        List<String> maven = List.of(mvn.toString(), "-B", "-q", "-o", "-Daether.offline.protocols=file",
                "-s", settings.toString(), "-Dmaven.repo.local=" + repo, "-Djavacpp.platform=linux-x86_64");

        // 1. What `mvn install` does, into the temporary repository.
        List<String> install = new ArrayList<>(maven);
        install.addAll(List.of(INSTALL_PLUGIN + ":install-file", "-Dfile=" + jar, "-DpomFile=" + Path.of("pom.xml").toAbsolutePath()));
        Run installed = run(tmp, tmp.resolve("install.log"), install);
        assertEquals(0, installed.exitCode(), installed.output());
        assertTrue(Files.isRegularFile(repo.resolve("org/creditlab/credit/" + version + "/credit-" + version + ".jar")));

        // 2. A user's project: the README's dependency snippet and example, nothing else of ours.
        Path project = tmp.resolve("user-project");
        Path src = project.resolve("src/main/java");
        Files.createDirectories(src);
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>uses-credit</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                %s  </dependencies>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version>
                  </plugin></plugins></build>
                </project>
                """.formatted(dependency));
        Files.writeString(src.resolve("Example.java"), asProgram(example, "Example"));
        List<String> build = new ArrayList<>(maven);
        build.addAll(List.of("compile", DEPENDENCY_PLUGIN + ":build-classpath", "-Dmdep.outputFile=classpath.txt"));
        Run built = run(project, tmp.resolve("build.log"), build);
        assertEquals(0, built.exitCode(), "the README's example compiles against the installed artifact:\n"
                + built.output() + "\n" + Files.readString(src.resolve("Example.java")));
        String classpath = Files.readString(project.resolve("classpath.txt"), StandardCharsets.UTF_8).strip();
        assertTrue(classpath.contains("credit-" + version + ".jar"), classpath);
        assertTrue(!classpath.contains("credit.jar"), "the plain jar, not the shaded one: " + classpath);

        // 3. Run it as a user would: java on the project's classes and its dependencies.
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Run ran = run(project, tmp.resolve("run.log"), List.of(javaBin, "-Djava.awt.headless=true", "-cp",
                project.resolve("target/classes") + java.io.File.pathSeparator + classpath, "Example"));
        assertEquals(0, ran.exitCode(), ran.output());
        Matcher epoch = Pattern.compile("(?m)^epoch (\\d+): (\\d+\\.\\d+)%$").matcher(ran.output());
        List<Double> accuracies = new ArrayList<>();
        while (epoch.find()) accuracies.add(Double.parseDouble(epoch.group(2)));
        assertTrue(!accuracies.isEmpty(), "the example prints one line per epoch:\n" + ran.output());
        double last = accuracies.get(accuracies.size() - 1);
        assertTrue(last > 60, "fa learns Fashion-MNIST well above chance in the example: " + ran.output());
    }
}
