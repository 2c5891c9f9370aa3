package org.creditlab.data;

/** How a dataset's files are laid out; decides which reader loads it. */
public enum DatasetFormat {
    /** Four IDX files (train/t10k images/labels), gzipped or raw: MNIST, Fashion-MNIST, KMNIST. */
    IDX,
    /** CIFAR-10 binary version: cifar-10-binary.tar.gz or its extracted data_batch_1..5.bin, test_batch.bin. */
    CIFAR_BINARY
}
