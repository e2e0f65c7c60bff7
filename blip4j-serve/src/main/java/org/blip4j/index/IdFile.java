package org.blip4j.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The ids of a collection, one JSON string per line ({@code <collection>.ids.jsonl}), appendable. */
final class IdFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IdFile() {
    }

    /** The first {@code count} ids. */
    static List<String> read(Path file, int count) throws IOException {
        List<String> ids = new ArrayList<>(count);
        if (count == 0) {
            return ids;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while (ids.size() < count && (line = r.readLine()) != null) {
                try {
                    ids.add(JSON.readValue(line, String.class));
                } catch (IOException e) {
                    throw new IOException(file + ": line " + (ids.size() + 1) + " is not a JSON string", e);
                }
            }
        }
        if (ids.size() < count) {
            throw new IOException(file + ": holds " + ids.size() + " ids, the manifest needs " + count);
        }
        return ids;
    }

    /** Keeps the first {@code committed} lines, appends {@code ids}, syncs. */
    static void append(Path file, int committed, List<String> ids) throws IOException {
        long keep = 0;
        if (committed > 0) {
            byte[] all = Files.readAllBytes(file);
            int lines = 0;
            while (lines < committed && keep < all.length) {
                if (all[(int) keep++] == '\n') {
                    lines++;
                }
            }
            if (lines < committed) {
                throw new IOException(file + ": shorter than its " + committed + " committed ids");
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(keep);
            ch.position(keep);
            Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8);
            for (String id : ids) {
                w.write(JSON.writeValueAsString(id));
                w.write('\n');
            }
            w.flush();
            ch.force(true);
        }
    }
}
