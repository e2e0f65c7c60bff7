package org.blip4j.task.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.blip4j.data.AnnotationReader;
import org.blip4j.data.CaptionMode;
import org.blip4j.data.ImageSource;
import org.blip4j.data.Sample;

/**
 * A retrieval test split as BLIP's {@code coco_karpathy_retrieval_eval} builds it: every annotation entry is one
 * image; its captions become consecutive texts. {@code txt2img[t]} is the image of text t, {@code img2txt[i]}
 * the texts of image i (an image listed twice is two images, as in the original). Arrays are shared: read-only.
 *
 * @param source names the split in errors (the annotation file)
 */
public record RetrievalEvaluatorSplit(List<ImageSource> images, List<String> texts, int[] txt2img, int[][] img2txt,
                                      String source) {

    public RetrievalEvaluatorSplit {
        images = List.copyOf(images);
        texts = List.copyOf(texts);
        Objects.requireNonNull(source, "source");
        if (images.isEmpty() || texts.isEmpty()) {
            throw new IllegalArgumentException(source + ": a retrieval split needs at least one image and one text, "
                    + "got " + images.size() + " images and " + texts.size() + " texts");
        }
        if (txt2img.length != texts.size() || img2txt.length != images.size()) {
            throw new IllegalArgumentException(source + ": txt2img/img2txt do not match the texts/images");
        }
    }

    /** One entry per image with its captions, in order. */
    public static RetrievalEvaluatorSplit of(List<ImageSource> images, List<List<String>> captions, String source) {
        if (images.size() != captions.size()) {
            throw new IllegalArgumentException(source + ": " + images.size() + " images but " + captions.size()
                    + " caption lists");
        }
        List<String> texts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        int[][] img2txt = new int[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            List<String> caps = captions.get(i);
            img2txt[i] = new int[caps.size()];
            for (int c = 0; c < caps.size(); c++) {
                img2txt[i][c] = texts.size();
                texts.add(caps.get(c));
                owner.add(i);
            }
        }
        int[] txt2img = owner.stream().mapToInt(Integer::intValue).toArray();
        return new RetrievalEvaluatorSplit(images, texts, txt2img, img2txt, source);
    }

    /** BLIP/Karpathy JSON ({@code [{"image": path, "caption": [..]}]}), image paths relative to {@code imageRoot}. */
    public static RetrievalEvaluatorSplit read(Path annotations, Path imageRoot) throws IOException {
        List<Sample> samples = AnnotationReader.blip(imageRoot).captions(CaptionMode.KEEP).read(annotations);
        List<ImageSource> images = new ArrayList<>(samples.size());
        List<List<String>> captions = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            images.add(s.image());
            captions.add(s.captions());
        }
        return of(images, captions, annotations.toString());
    }
}
