package org.blip4j.model;

/**
 * MED / BERT hyper-parameters (HF {@code BlipTextConfig} field names). Token ids here are the config's; the
 * tokenizer-side resolution (with [ENC], and sep as the generation stop token) lives in the text package.
 *
 * <p>{@code encoderHiddenSize} is the cross-attention key/value input width of the image-grounded encoder and
 * the captioning decoder (= vision width). {@code answerDecoderEncoderHiddenSize} is the VQA answer decoder's,
 * which attends to question states (= text width); 0 means "same as encoderHiddenSize / infer from weights".
 *
 * <p>Build one with {@link #builder()}, whose defaults are BLIP's BERT-base ({@link #base()}); change a field of an
 * existing config with {@link #toBuilder()}.
 */
public record TextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        double layerNormEps,
        double hiddenDropoutProb,
        double attentionProbsDropoutProb,
        int encoderHiddenSize,
        int bosTokenId,
        int sepTokenId,
        int padTokenId,
        int eosTokenId,
        int answerDecoderEncoderHiddenSize,
        double initializerRange) {

    public TextConfig {
        VisionConfig.require(hiddenSize > 0 && numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0,
                "text_config.hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads "
                        + numAttentionHeads);
        VisionConfig.require(vocabSize > 0, "text_config.vocab_size must be > 0");
        VisionConfig.require(numHiddenLayers > 0, "text_config.num_hidden_layers must be > 0");
    }

    /** BLIP's MED: BERT-base with 12 heads (not HF's 8-head default), vocabulary 30524 ([DEC] 30522, [ENC] 30523). */
    public static TextConfig base() {
        return builder().build();
    }

    /** A builder starting from {@link #base()}'s values. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.vocabSize = vocabSize;
        b.hiddenSize = hiddenSize;
        b.intermediateSize = intermediateSize;
        b.numHiddenLayers = numHiddenLayers;
        b.numAttentionHeads = numAttentionHeads;
        b.maxPositionEmbeddings = maxPositionEmbeddings;
        b.layerNormEps = layerNormEps;
        b.hiddenDropoutProb = hiddenDropoutProb;
        b.attentionProbsDropoutProb = attentionProbsDropoutProb;
        b.encoderHiddenSize = encoderHiddenSize;
        b.bosTokenId = bosTokenId;
        b.sepTokenId = sepTokenId;
        b.padTokenId = padTokenId;
        b.eosTokenId = eosTokenId;
        b.answerDecoderEncoderHiddenSize = answerDecoderEncoderHiddenSize;
        b.initializerRange = initializerRange;
        return b;
    }

    /** [DEC] (bos), [SEP] (also the eos BLIP stops on) and [PAD] ids, as the tokenizer defines them. */
    public TextConfig withTokenIds(int vocab, int bos, int sep, int pad) {
        return toBuilder().vocabSize(vocab).bosTokenId(bos).sepTokenId(sep).padTokenId(pad).eosTokenId(sep).build();
    }

    public TextConfig withInitializerRange(double range) {
        return toBuilder().initializerRange(range).build();
    }

    public TextConfig withDropout(double hidden, double attention) {
        return toBuilder().hiddenDropoutProb(hidden).attentionProbsDropoutProb(attention).build();
    }

    public TextConfig withAnswerDecoderEncoderHiddenSize(int width) {
        return toBuilder().answerDecoderEncoderHiddenSize(width).build();
    }

    /** Named setters over BLIP's BERT-base defaults; {@link #build()} validates. */
    public static final class Builder {
        private int vocabSize = 30524;
        private int hiddenSize = 768;
        private int intermediateSize = 3072;
        private int numHiddenLayers = 12;
        private int numAttentionHeads = 12;
        private int maxPositionEmbeddings = 512;
        private double layerNormEps = 1e-12;
        private double hiddenDropoutProb = 0.0;
        private double attentionProbsDropoutProb = 0.0;
        private int encoderHiddenSize = 768;
        private int bosTokenId = 30522;
        private int sepTokenId = 102;
        private int padTokenId = 0;
        private int eosTokenId = 2;
        private int answerDecoderEncoderHiddenSize = 0;
        private double initializerRange = 0.02;

        private Builder() {
        }

        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder intermediateSize(int v) {
            intermediateSize = v;
            return this;
        }

        public Builder numHiddenLayers(int v) {
            numHiddenLayers = v;
            return this;
        }

        public Builder numAttentionHeads(int v) {
            numAttentionHeads = v;
            return this;
        }

        public Builder maxPositionEmbeddings(int v) {
            maxPositionEmbeddings = v;
            return this;
        }

        public Builder layerNormEps(double v) {
            layerNormEps = v;
            return this;
        }

        public Builder hiddenDropoutProb(double v) {
            hiddenDropoutProb = v;
            return this;
        }

        public Builder attentionProbsDropoutProb(double v) {
            attentionProbsDropoutProb = v;
            return this;
        }

        public Builder encoderHiddenSize(int v) {
            encoderHiddenSize = v;
            return this;
        }

        public Builder bosTokenId(int v) {
            bosTokenId = v;
            return this;
        }

        public Builder sepTokenId(int v) {
            sepTokenId = v;
            return this;
        }

        public Builder padTokenId(int v) {
            padTokenId = v;
            return this;
        }

        public Builder eosTokenId(int v) {
            eosTokenId = v;
            return this;
        }

        public Builder answerDecoderEncoderHiddenSize(int v) {
            answerDecoderEncoderHiddenSize = v;
            return this;
        }

        public Builder initializerRange(double v) {
            initializerRange = v;
            return this;
        }

        public TextConfig build() {
            return new TextConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                    maxPositionEmbeddings, layerNormEps, hiddenDropoutProb, attentionProbsDropoutProb,
                    encoderHiddenSize, bosTokenId, sepTokenId, padTokenId, eosTokenId,
                    answerDecoderEncoderHiddenSize, initializerRange);
        }
    }
}
