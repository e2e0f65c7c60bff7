package org.blip4j.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The videos and texts of a text-video retrieval split. Annotations are a JSON array or JSON lines (the official
 * {@code msrvtt_test.jsonl}) of {@code {"clip_name" | "video": name, "caption": str | [str]}}; a video is
 * {@code <videos>/<name>}, {@code <videos>/<name>.mp4}, or a directory of frames of that name.
 */
public record VideoSplit(List<Video> videos, List<String> texts, int[] txt2video, int[][] video2txt) {
    /** Captions as {@code data/video_dataset.py}: pre_caption(caption, 40), tokenised to at most 35 tokens. */
    public static final TextOptions TEXT = new TextOptions(true, 40, 35);

    public record Video(String id, Path path) {
    }

    public static VideoSplit read(Path annotations, Path videosDir) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        String text = Files.readString(annotations);
        ObjectMapper json = new ObjectMapper();
        try {
            if (text.stripLeading().startsWith("[")) {
                json.readTree(text).forEach(records::add);
            } else {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        records.add(json.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new IOException(annotations + ": neither a JSON array nor JSON lines: " + e.getMessage(), e);
        }
        Path base = videosDir.toAbsolutePath().normalize();
        List<Video> videos = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<int[]> v2t = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String where = annotations + ": record " + i;
            JsonNode name = r.has("clip_name") ? r.get("clip_name") : r.get("video");
            if (name == null || !name.isTextual()) {
                throw new IOException(where + ": needs 'clip_name' or 'video' (a file or frames directory name)");
            }
            List<String> caps = new ArrayList<>();
            JsonNode c = r.get("caption");
            if (c != null && c.isTextual()) {
                caps.add(c.asText());
            } else if (c != null && c.isArray() && c.size() > 0) {
                c.forEach(x -> caps.add(x.asText()));
            } else {
                throw new IOException(where + ": 'caption' must be a string or a non-empty list of strings");
            }
            int[] mine = new int[caps.size()];
            for (int j = 0; j < caps.size(); j++) {
                mine[j] = texts.size();
                texts.add(caps.get(j));
                owner.add(videos.size());
            }
            v2t.add(mine);
            videos.add(new Video(name.asText(), locate(base, name.asText(), where)));
        }
        return new VideoSplit(videos, texts, owner.stream().mapToInt(Integer::intValue).toArray(),
                v2t.toArray(new int[0][]));
    }

    private static Path locate(Path base, String name, String where) throws IOException {
        Path p = base.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !p.startsWith(base)) {
            throw new IOException(where + ": video '" + name + "' leaves the videos directory " + base);
        }
        if (!Files.exists(p) && Files.exists(p.resolveSibling(p.getFileName() + ".mp4"))) {
            return p.resolveSibling(p.getFileName() + ".mp4");
        }
        return p;
    }

    /** The split restricted to the given videos (in order) and their texts. */
    public VideoSplit subset(List<Integer> keep) {
        List<Video> vs = new ArrayList<>();
        List<String> ts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<int[]> v2t = new ArrayList<>();
        for (int v : keep) {
            int[] old = video2txt[v];
            int[] mine = new int[old.length];
            for (int j = 0; j < old.length; j++) {
                mine[j] = ts.size();
                ts.add(texts.get(old[j]));
                owner.add(vs.size());
            }
            v2t.add(mine);
            vs.add(videos.get(v));
        }
        return new VideoSplit(vs, ts, owner.stream().mapToInt(Integer::intValue).toArray(),
                v2t.toArray(new int[0][]));
    }
}
