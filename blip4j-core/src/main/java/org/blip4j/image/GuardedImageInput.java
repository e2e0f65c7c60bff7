package org.blip4j.image;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.IIOException;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Image input that a decoder cannot spin on: once {@link #abort()} is called (the decoding time limit passed) every
 * further read fails, and so does the {@value #MAX_READS_PAST_END}th read past the end of the data.
 *
 * <p>{@link javax.imageio.ImageReader#abort()} alone is not enough: decoders check it between rows, not inside
 * their header or entropy-table parsing. TwelveMonkeys' WebP lossless decoder, for one, swallows the end of data
 * while reading Huffman tables, and a 50-byte file kept it there for more than a minute (found by
 * {@code ImageLoaderFuzzTest}; the input is kept there as a regression case). Failing reads stop such loops,
 * because the decoders only swallow {@link java.io.EOFException}.
 */
final class GuardedImageInput {
    /** Far more than any honest decoder needs (they stop at the first few); a loop at the end stops here. */
    static final int MAX_READS_PAST_END = 1 << 16;

    private volatile boolean aborted;
    private int readsPastEnd;

    /** Makes every later read fail. Called from the watchdog thread. */
    void abort() {
        aborted = true;
    }

    boolean aborted() {
        return aborted;
    }

    static Stream over(InputStream in) {
        return new MemoryStream(in, new GuardedImageInput());
    }

    static Stream over(File file) throws IOException {
        return new FileStream(file, new GuardedImageInput());
    }

    /** The stream and its guard. */
    interface Stream extends ImageInputStream {
        GuardedImageInput guard();
    }

    private void before() throws IIOException {
        if (aborted) {
            throw new IIOException("decoding aborted (time limit passed)");
        }
    }

    private int after(int n) throws IIOException {
        if (n < 0 && ++readsPastEnd > MAX_READS_PAST_END) {
            throw new IIOException("the decoder read past the end of the data " + MAX_READS_PAST_END
                    + " times (corrupt file)");
        }
        return n;
    }

    private static final class MemoryStream extends MemoryCacheImageInputStream implements Stream {
        private final GuardedImageInput guard;

        MemoryStream(InputStream in, GuardedImageInput guard) {
            super(in);
            this.guard = guard;
        }

        @Override
        public GuardedImageInput guard() {
            return guard;
        }

        @Override
        public int read() throws IOException {
            guard.before();
            return guard.after(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            guard.before();
            return guard.after(super.read(b, off, len));
        }
    }

    private static final class FileStream extends FileImageInputStream implements Stream {
        private final GuardedImageInput guard;

        FileStream(File file, GuardedImageInput guard) throws IOException {
            super(file);
            this.guard = guard;
        }

        @Override
        public GuardedImageInput guard() {
            return guard;
        }

        @Override
        public int read() throws IOException {
            guard.before();
            return guard.after(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            guard.before();
            return guard.after(super.read(b, off, len));
        }
    }
}
