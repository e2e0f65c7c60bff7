package org.blip4j.serve;

import org.blip4j.task.Blip;

/**
 * What a route that runs one served model needs: the model, the batcher its requests are grouped by, the shared
 * upload decoder, and the batch size of the command the route mirrors.
 */
record ModelRoute(Blip blip, DynamicBatcher batcher, ImageDecoding decoding, int batchSize) {
}
