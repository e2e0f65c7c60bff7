package org.blip4j.model;

/**
 * MED / BERT hyper-parameters (HF {@code BlipTextConfig} field names). Token ids here are the config's; the
 * tokenizer-side resolution (with [ENC], and sep as the generation stop token) lives in the text package.
 *
 * <p>{@code encoderHiddenSize} is the cross-attention key/value input width of the image-grounded encoder and
 * the captioning decoder (= vision width). {@code answerDecoderEncoderHiddenSize} is the VQA answer decoder's,
 * which attends to question states (= text width); 0 means "same as encoderHiddenSize / infer from weights".
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
        double labelSmoothing,
        int answerDecoderEncoderHiddenSize,
        double initializerRange) {

    public TextConfig {
        VisionConfig.require(hiddenSize > 0 && numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0,
                "text_config.hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads "
                        + numAttentionHeads);
        VisionConfig.require(vocabSize > 0, "text_config.vocab_size must be > 0");
        VisionConfig.require(numHiddenLayers > 0, "text_config.num_hidden_layers must be > 0");
    }

    /** BLIP's MED (BERT-base, 12 heads — not HF's 8-head default, transformers issue #22625). */
    public static TextConfig base() {
        return new TextConfig(30524, 768, 3072, 12, 12, 512, 1e-12, 0.0, 0.0, 768, 30522, 102, 0, 2, 0.0, 0, 0.02);
    }

    public TextConfig withEncoderHiddenSize(int width) {
        return new TextConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                maxPositionEmbeddings, layerNormEps, hiddenDropoutProb, attentionProbsDropoutProb, width, bosTokenId,
                sepTokenId, padTokenId, eosTokenId, labelSmoothing, answerDecoderEncoderHiddenSize, initializerRange);
    }

    /** [DEC] (bos), [SEP] and [PAD] ids, as the tokenizer defines them. */
    public TextConfig withTokenIds(int vocab, int bos, int sep, int pad) {
        return new TextConfig(vocab, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                maxPositionEmbeddings, layerNormEps, hiddenDropoutProb, attentionProbsDropoutProb, encoderHiddenSize,
                bos, sep, pad, sep, labelSmoothing, answerDecoderEncoderHiddenSize, initializerRange);
    }

    public TextConfig withInitializerRange(double range) {
        return new TextConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                maxPositionEmbeddings, layerNormEps, hiddenDropoutProb, attentionProbsDropoutProb, encoderHiddenSize,
                bosTokenId, sepTokenId, padTokenId, eosTokenId, labelSmoothing, answerDecoderEncoderHiddenSize, range);
    }

    public TextConfig withDropout(double hidden, double attention) {
        return new TextConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                maxPositionEmbeddings, layerNormEps, hidden, attention, encoderHiddenSize, bosTokenId,
                sepTokenId, padTokenId, eosTokenId, labelSmoothing, answerDecoderEncoderHiddenSize, initializerRange);
    }

    public TextConfig withAnswerDecoderEncoderHiddenSize(int width) {
        return new TextConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                maxPositionEmbeddings, layerNormEps, hiddenDropoutProb, attentionProbsDropoutProb, encoderHiddenSize,
                bosTokenId, sepTokenId, padTokenId, eosTokenId, labelSmoothing, width, initializerRange);
    }
}
