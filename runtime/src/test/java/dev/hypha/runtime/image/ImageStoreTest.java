package dev.hypha.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hypha.runtime.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image store with the real umoci, tar and skopeo of this machine. */
class ImageStoreTest {
    @TempDir
    Path tmp;
    ImageStore store;
    CommandRunner run;

    @BeforeEach
    void store() {
        store = new ImageStore(tmp.resolve("images"));
        run = new CommandRunner(tmp.resolve("scratch"));
    }

    private void sh(String... command) {
        CommandRunner.Result r = run.run(List.of(command), Duration.ofSeconds(60));
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", command), r.message()).isZero();
    }

    /** A one-file image built with umoci: /hello.txt holding {@code text}, cmd ["cat", "/hello.txt"]. */
    private Path layoutWith(Path layout, String tag, String text) throws IOException {
        if (!Files.exists(layout)) sh("umoci", "init", "--layout", layout.toString());
        sh("umoci", "new", "--image", layout + ":" + tag);
        Path content = Files.createDirectories(tmp.resolve("content-" + tag));
        Files.writeString(content.resolve("hello.txt"), text);
        sh("umoci", "insert", "--image", layout + ":" + tag, content.resolve("hello.txt").toString(), "/hello.txt");
        sh("umoci", "config", "--image", layout + ":" + tag, "--config.cmd", "cat", "--config.cmd", "/hello.txt",
                "--config.user", "65534:65534");
        return layout;
    }

    private long blobCount() throws IOException {
        try (Stream<Path> s = Files.list(store.layout().resolve("blobs/sha256"))) {
            return s.count();
        }
    }

    @Test
    void anOciArchiveMadeWithUmociAndTarImportsAndUnpacks() throws IOException {
        Path layout = layoutWith(tmp.resolve("src"), "v1", "hello, archive");
        Path archive = tmp.resolve("app.tar");
        sh("tar", "-cf", archive.toString(), "-C", layout.toString(), ".");

        Image image = store.importImage(archive, "app");

        assertThat(image.name()).isEqualTo("app");
        assertThat(image.digest()).matches("sha256:[0-9a-f]{64}");
        assertThat(image.sizeBytes()).isPositive();
        assertThat(image.created()).isNotNull();
        assertThat(image.config().cmd()).containsExactly("cat", "/hello.txt");
        assertThat(image.config().user()).isEqualTo("65534:65534");
        assertThat(store.list()).extracting(Image::name).containsExactly("app");
        assertThat(store.resolve("app")).isEqualTo(image);

        Path rootfs = tmp.resolve("bundle/rootfs");
        store.copyRootfs(image, rootfs);
        assertThat(rootfs.resolve("hello.txt")).hasContent("hello, archive");
        assertThat(store.directory().resolve("rootfs").resolve(image.digestHex()).resolve("rootfs/hello.txt"))
                .as("unpacked once into the cache").exists();
        Path second = tmp.resolve("bundle2/rootfs");
        store.copyRootfs(image, second);
        assertThat(second.resolve("hello.txt")).hasContent("hello, archive");
        assertThat(store.directory().resolve("tmp")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void aCompressedArchiveImportsToo() throws IOException {
        Path layout = layoutWith(tmp.resolve("src"), "v1", "zipped");
        Path archive = tmp.resolve("app.tar.gz");
        sh("tar", "-czf", archive.toString(), "-C", layout.toString(), ".");
        assertThat(store.importImage(archive, "zipped").config().cmd()).containsExactly("cat", "/hello.txt");
    }

    @Test
    void aLayoutWithSeveralImagesIsImportedByName() throws IOException {
        Path layout = layoutWith(tmp.resolve("src"), "one", "first");
        layoutWith(layout, "two", "second");

        Image two = store.importImage(layout, "two");
        Path rootfs = tmp.resolve("r/rootfs");
        store.copyRootfs(two, rootfs);
        assertThat(rootfs.resolve("hello.txt")).hasContent("second");

        assertThatThrownBy(() -> store.importImage(layout, "three")).isInstanceOf(ImageStoreException.class)
                .hasMessageContaining("holds 2 images").hasMessageContaining("one").hasMessageContaining("two");
    }

    @Test
    void reimportingANameReplacesItAndCollectsTheOldBlobs() throws IOException {
        Image first = store.importImage(layoutWith(tmp.resolve("a"), "x", "old"), "app");
        store.copyRootfs(first, tmp.resolve("b1/rootfs"));
        long blobsAfterFirst = blobCount();

        Image second = store.importImage(layoutWith(tmp.resolve("b"), "x", "new"), "app");

        assertThat(second.digest()).isNotEqualTo(first.digest());
        assertThat(store.list()).containsExactly(second);
        assertThat(blobCount()).as("the old manifest, config and layer are gone").isEqualTo(blobsAfterFirst);
        assertThat(store.directory().resolve("rootfs").resolve(first.digestHex())).doesNotExist();

        assertThat(store.remove("app")).isTrue();
        assertThat(store.remove("app")).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(blobCount()).isZero();
    }

    @Test
    void aCorruptBlobIsRefusedAndTheStoreIsUnchanged() throws IOException {
        Path layout = layoutWith(tmp.resolve("src"), "v1", "intact");
        try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
            Path biggest = blobs.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
            byte[] bytes = Files.readAllBytes(biggest);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(biggest, bytes);
        }
        assertThatThrownBy(() -> store.importImage(layout, "broken")).isInstanceOf(ImageStoreException.class)
                .hasMessageContaining("is corrupt");
        assertThat(store.find("broken")).isEmpty();
    }

    @Test
    void thingsThatAreNotImagesAreExplained() throws IOException {
        assertThatThrownBy(() -> store.importImage(tmp.resolve("nope"), "x")).hasMessageContaining("no such file");
        Path notTar = Files.writeString(tmp.resolve("notes.txt"), "just text");
        assertThatThrownBy(() -> store.importImage(notTar, "x")).hasMessageContaining("neither an OCI layout");
        Path emptyDir = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> store.importImage(emptyDir, "x")).hasMessageContaining("not an OCI image layout");
        assertThatThrownBy(() -> store.importImage(emptyDir, "Bad Name")).hasMessageContaining("not valid");
        assertThatThrownBy(() -> store.resolve("ghost")).hasMessageContaining("'ghost' is not in the image store")
                .hasMessageContaining("hypha image import");
    }

    @Test
    void twoStoresOnOneDirectoryInOneProcessWaitForEachOther() throws Exception {
        Path layout = layoutWith(tmp.resolve("a"), "x", "shared");
        ImageStore other = new ImageStore(tmp.resolve("images"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Image> imported = store.locked(() -> {
                Future<Image> f = pool.submit(() -> other.importImage(layout, "img"));
                // The other store's import must queue behind this lock, not fail on the file lock.
                await().atMost(Duration.ofSeconds(30)).until(() -> f.isDone()
                        || StoreLock.of(tmp.resolve("images/.lock")).contended());
                return f;
            });
            assertThat(imported.get(60, TimeUnit.SECONDS).name()).isEqualTo("img");
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find("img")).isPresent();
    }

    @Test
    void skopeoCopiesAnyTransportIntoTheStore() throws IOException {
        Path layout = layoutWith(tmp.resolve("src"), "v1", "via skopeo");

        Image pulled = store.pull("oci:" + layout + ":v1", "pulled");

        Path rootfs = tmp.resolve("p/rootfs");
        store.copyRootfs(pulled, rootfs);
        assertThat(rootfs.resolve("hello.txt")).hasContent("via skopeo");
    }

    @Test
    void pullingWithoutSkopeoSaysToInstallIt() {
        ImageStore noSkopeo = new ImageStore(tmp.resolve("other"), ImageTools.fromPath().withSkopeo(Optional.empty()));
        assertThatThrownBy(() -> noSkopeo.pull("docker://registry.example/app:1", "app"))
                .isInstanceOf(ImageStoreException.class).hasMessageContaining("needs skopeo")
                .hasMessageContaining("apt-get install skopeo");
        assertThatThrownBy(() -> store.pull("registry.example/app:1", "app")).hasMessageContaining("docker://");
    }

    @Test
    void theBusyboxImageIsBuiltOnceFromTheHostsStaticBusybox() throws IOException {
        Image busybox = BusyboxImage.ensure(store);

        assertThat(busybox.name()).isEqualTo("busybox");
        assertThat(busybox.config().cmd()).containsExactly("sh");
        assertThat(busybox.config().env()).anyMatch(e -> e.startsWith("PATH="));
        assertThat(BusyboxImage.ensure(store)).as("idempotent: the same image, not a rebuild").isEqualTo(busybox);

        Path rootfs = tmp.resolve("bb/rootfs");
        store.copyRootfs(busybox, rootfs);
        assertThat(rootfs.resolve("bin/busybox")).isExecutable();
        assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(rootfs.resolve("bin/tail")).isSymbolicLink();
        assertThat(rootfs.resolve("etc/passwd")).content().startsWith("root:x:0:0:");
        assertThat(ElfBinary.isStatic(rootfs.resolve("bin/busybox"))).isTrue();
    }

    @Test
    void dynamicallyLinkedProgramsAreRecognised() throws IOException {
        assertThat(ElfBinary.isStatic(Path.of("/bin/sh"))).as("dash is dynamic").isFalse();
        assertThat(ElfBinary.isStatic(Files.writeString(tmp.resolve("script"), "#!/bin/sh\n"))).isFalse();
        assertThatThrownBy(() -> BusyboxImage.ensure(store, Path.of("/bin/sh")))
                .hasMessageContaining("not a statically linked executable");
    }
}
