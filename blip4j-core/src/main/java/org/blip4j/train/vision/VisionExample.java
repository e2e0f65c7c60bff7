package org.blip4j.train.vision;

import java.util.List;
import java.util.Map;

/**
 * One labelled image of a vision pre-training set: objects marked by their centre ({@code x}, {@code y} in units
 * of the image side) with one class per object group, and image-level label lists per image group (a value
 * listed twice weighs twice).
 */
public record VisionExample(String image, List<LabelledPoint> objects, Map<String, List<String>> labels) {
    /** One object: its centre ({@code x}, {@code y} in units of the image side) and its class per group. */
    public record LabelledPoint(double x, double y, Map<String, String> labels) {
    }
}
