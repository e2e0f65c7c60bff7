package org.blip4j.capfilt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.blip4j.data.ShardManifest;
import org.blip4j.data.WebDatasetWriter;

/**
 * Writes a BLIP JSON dataset as webdataset shards in img2dataset's layout ({@code 00000.tar}, ...; per sample
 * {@code KEY.jpg|png}, {@code KEY.txt}, {@code KEY.json} with the original path as {@code url}; keys
 * {@code SSSSSIIII} = shard and index as img2dataset numbers them). Records with a list of texts keep the
 * first. Streams: one record in memory at a time.
 */
public final class ShardExport {
    private static final Set<String> IMAGE_TYPES = Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");

    private ShardExport() {
    }

    /** @return the manifest of the shards written to {@code outDir} */
    public static ShardManifest export(Path json, Path images, Path outDir, int perShard) throws IOException {
        if (perShard < 1 || perShard > 10_000) {
            throw new IllegalArgumentException("samples per shard must be in 1..10000, got " + perShard);
        }
        try (WebRecordReader r = WebRecordReader.open(json, images);
                WebDatasetWriter w = WebDatasetWriter.open(outDir, "", perShard)) {
            int i = 0;
            for (WebRecord rec; (rec = r.next()) != null; i++) {
                String name = rec.imageFile().getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                if (!IMAGE_TYPES.contains(ext)) {
                    throw new IOException(json + ": record " + i + ": image " + rec.image() + " is not a "
                            + IMAGE_TYPES + " file");
                }
                String key = String.format(Locale.ROOT, "%05d%04d", i / perShard, i % perShard);
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("url", rec.image());
                w.write(key, Files.readAllBytes(rec.imageFile()), ext, rec.texts().get(0), meta);
            }
            return w.finish();
        }
    }
}
