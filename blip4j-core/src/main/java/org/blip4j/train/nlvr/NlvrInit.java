package org.blip4j.train.nlvr;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.checkpoint.NlvrCheckpointLayout;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.ModelPresets;
import org.blip4j.model.NlvrConfig;
import org.blip4j.model.NlvrConfigJson;
import org.blip4j.model.NlvrModel;
import org.blip4j.model.NlvrModelFiles;
import org.blip4j.nn.Parameter;
import org.blip4j.task.ModelOptions;
import org.blip4j.task.ModelResolver;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.TokenizerFiles;
import org.blip4j.train.TrainingTokenizer;

/**
 * The model an NLVR2 fine-tuning run starts from: an NLVR2 model ({@code model_base_nlvr.pth} or a directory),
 * a pre-trained BLIP (renamed as {@code blip_nlvr.py:load_checkpoint} does; {@code merge_layer} and {@code cls_head}
 * start fresh), fresh weights of a preset, or the run's own last epoch when resuming.
 */
record NlvrInit(NlvrModel model, BlipTokenizer tokenizer, Path tokenizerDir, String description) {

    static NlvrInit resume(Path modelDir, NlvrTrainConfig cfg, NDManager manager) throws IOException {
        NlvrModel model = NlvrModelFiles.load(modelDir, manager);
        return new NlvrInit(withTraining(model, cfg, manager), tokenizer(modelDir, modelDir), modelDir,
                "resumed from " + modelDir);
    }

    /** {@code model_config}: a preset name or a {@code config.json} file (as in pre-training). */
    private static BlipConfig modelConfig(NlvrTrainConfig cfg, int vocabSize) throws IOException {
        Path file = Path.of(cfg.modelConfig());
        if (!java.nio.file.Files.isRegularFile(file)) {
            return ModelPresets.named(cfg.modelConfig(), cfg.imageSize(), vocabSize);
        }
        BlipConfig c = org.blip4j.model.BlipConfigJson.read(file);
        c = c.withVision(c.vision().withImageSize(cfg.imageSize()));
        return c.withText(c.text().withTokenIds(vocabSize, c.text().bosTokenId(), c.text().sepTokenId(),
                c.text().padTokenId()));
    }

    static NlvrInit create(NlvrTrainConfig cfg, NDManager manager) throws IOException {
        if (cfg.initFrom() == null) {
            Path tokDir = cfg.tokenizer();
            BlipTokenizer tok = TrainingTokenizer.load(tokDir);
            BlipConfig blip = modelConfig(cfg, tok.specialTokens().vocabSize());
            var st = tok.specialTokens();
            blip = blip.withText(blip.text().withTokenIds(blip.text().vocabSize(), st.bos(), st.sep(), st.pad())
                    .withInitializerRange(cfg.initRange()));
            NlvrConfig nc = training(new NlvrConfig(blip, cfg.mergeLayerStart(), blip.text().hiddenSize()), cfg);
            NlvrModel model = new NlvrModel(nc, manager);
            ModelInitializer.initialize(model.parameters(), manager, cfg.initRange(), cfg.seed());
            return new NlvrInit(model, tok, tokDir, "fresh '" + cfg.modelConfig() + "' model, merge layers from "
                    + cfg.mergeLayerStart());
        }
        Path dir = ModelResolver.resolve(cfg.initFrom(), ModelOptions.defaults());
        HfModelDirectory files = HfModelDirectory.open(dir);
        Map<String, RawTensor> weights = files.loadWeights();
        Path tokDir = cfg.tokenizer() != null ? cfg.tokenizer() : dir;
        BlipTokenizer tok = tokenizer(tokDir, dir);
        if (NlvrCheckpointLayout.isNlvr(weights.keySet())) {
            NlvrConfig nc = training(NlvrModelFiles.readConfig(files.config(), weights), cfg);
            NlvrModel model = NlvrModel.load(nc, weights, manager, dir.toString());
            return new NlvrInit(model, tok, tokDir, "initialised from the NLVR2 model " + dir);
        }
        BlipConfig blip = BlipConfigJson.read(files.config());
        NlvrConfig nc = training(new NlvrConfig(blip, cfg.mergeLayerStart(), blip.text().hiddenSize()), cfg);
        NlvrModel model = new NlvrModel(nc, manager);
        try {
            int n = assignPretrained(model, BlipModelLoader.adaptPositionEmbedding(nc.blip(),
                    NlvrCheckpointLayout.fromPretrained(weights)), dir.toString());
            ModelInitializer.initialize(model.parameters(), manager, cfg.initRange(), cfg.seed());
            return new NlvrInit(model, tok, tokDir, "initialised from the pre-trained " + dir + " (" + n
                    + " tensors; merge_layer and cls_head fresh)");
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Dropout, drop path and image size of the run. */
    private static NlvrConfig training(NlvrConfig c, NlvrTrainConfig cfg) {
        BlipConfig b = c.blip();
        b = b.withText(b.text().withDropout(cfg.dropout(), cfg.dropout()))
                .withVision(b.vision().withImageSize(cfg.imageSize()).withDropPathRate(cfg.dropPathRate()));
        return new NlvrConfig(b, c.mergeLayerStart(), c.classifierHidden());
    }

    private static NlvrModel withTraining(NlvrModel loaded, NlvrTrainConfig cfg, NDManager manager) {
        NlvrConfig nc = training(loaded.config(), cfg);
        Map<String, RawTensor> tensors = org.blip4j.model.BlipModelSaver.tensors(loaded.parameters(), false);
        loaded.close();
        return NlvrModel.load(nc, tensors, manager, "resumed model");
    }

    /** Every ViT and text-encoder parameter except merge_layer must come from the pre-trained weights. */
    private static int assignPretrained(NlvrModel model, Map<String, RawTensor> weights, String source) {
        Map<Parameter, RawTensor> mine = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Parameter p : model.parameters().parameters().values()) {
            RawTensor t = weights.get(p.name());
            boolean fresh = p.name().contains(".merge_layer.") || p.name().startsWith("cls_head.");
            if (t != null && !fresh && java.util.Arrays.equals(t.shape(), p.shape().getShape())) {
                mine.put(p, t);
            } else if (!fresh) {
                missing.add(p.name() + (t == null ? "" : " (shape " + t.shapeString() + ", expected " + p.shape()
                        + ")"));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + ": not a pre-trained BLIP with a text encoder; missing "
                    + missing.size() + " weights, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
        mine.forEach((p, t) -> p.set(BlipModelLoader.toNDArray(t, model.manager())));
        return mine.size();
    }

    private static BlipTokenizer tokenizer(Path tokDir, Path modelDir) throws IOException {
        return BlipTokenizer.of(TokenizerFiles.load(tokDir), modelDir.resolve(HfModelDirectory.CONFIG));
    }
}
