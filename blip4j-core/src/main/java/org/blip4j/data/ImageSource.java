package org.blip4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;

/**
 * Where a sample's encoded image lives. Samples hold only this reference, so a dataset of millions of images
 * costs metadata memory only; the bytes are read when a loader worker decodes the image.
 */
public sealed interface ImageSource permits ImageSource.File, ImageSource.TarMember {

    /** Human-readable location used in errors and skip reports. */
    String name();

    /**
     * Reads and decodes the image.
     *
     * @throws MissingImageException if the file (or shard) is absent or unreadable
     * @throws ImageDecodeException  if the bytes are not a decodable image
     */
    RgbImage load();

    /** An image file on disk. */
    record File(Path path) implements ImageSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public RgbImage load() {
            // Checked here (not left to ImageLoader) so a missing file is reported as MISSING, not corrupt.
            if (!Files.isRegularFile(path)) {
                throw new MissingImageException(name(), Files.exists(path) ? "not a regular file" : "file not found");
            }
            return ImageLoader.load(path);
        }
    }

    /**
     * A member of an uncompressed tar shard, addressed by its data offset so it can be read without scanning the
     * shard again (random access keeps shuffling cheap).
     */
    record TarMember(Path shard, String member, long offset, long length) implements ImageSource {
        public TarMember {
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(member, "member");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative offset/length for " + shard + ":" + member);
            }
        }

        @Override
        public String name() {
            return shard + ":" + member;
        }

        @Override
        public RgbImage load() {
            return ImageLoader.load(readBytes(), name());
        }

        /** The member's raw bytes. */
        public byte[] readBytes() {
            if (length > Integer.MAX_VALUE - 16) {
                throw new ImageDecodeException(name(), "member of " + length + " bytes is too large");
            }
            if (!Files.isRegularFile(shard)) {
                throw new MissingImageException(name(), "shard not found");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            try (FileChannel ch = FileChannel.open(shard)) {
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) {
                        throw new EOFException("shard ends before the member's " + length + " bytes");
                    }
                }
            } catch (IOException e) {
                throw new MissingImageException(name(), "cannot read member: " + e.getMessage(), e);
            }
            return buf.array();
        }
    }
}
