package org.blip4j.cli;

import java.util.concurrent.Callable;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.Part;
import org.blip4j.task.Blip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints a model's configuration summary and parameter counts per part. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's configuration and size.")
public final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Override
    public Integer call() throws Exception {
        try (Blip blip = modelArgs.load()) {
            BlipConfig c = blip.model().config();
            var v = c.vision();
            var t = c.text();
            System.out.println("model: " + blip.directory());
            System.out.println("architectures: " + c.architectures());
            System.out.printf("vision: ViT %d wide, %d layers, %d heads, mlp %d, patch %d, image %d (%d tokens), "
                    + "layer_norm_eps %g%n", v.hiddenSize(), v.numHiddenLayers(), v.numAttentionHeads(),
                    v.intermediateSize(), v.patchSize(), v.imageSize(), v.seqLength(), v.layerNormEps());
            System.out.printf("text: BERT %d wide, %d layers, %d heads, ffn %d, vocab %d, max positions %d, "
                    + "cross-attention width %d (decoder %d)%n", t.hiddenSize(), t.numHiddenLayers(),
                    t.numAttentionHeads(), t.intermediateSize(), t.vocabSize(), t.maxPositionEmbeddings(),
                    t.encoderHiddenSize(), blip.model().decoderCrossWidth());
            var st = blip.tokenizer().specialTokens();
            System.out.printf("special ids: [DEC]=%d [ENC]=%d [CLS]=%d [SEP]/eos=%d [PAD]=%d%n", st.bos(), st.enc(),
                    st.cls(), st.sep(), st.pad());
            System.out.printf("ITC embedding: %d%n", c.imageTextHiddenSize());
            long total = 0;
            System.out.println("parameters per part:");
            for (Part p : blip.model().parts()) {
                long n = blip.model().parameters().count(p.prefix);
                total += n;
                System.out.printf("  %-16s %,14d  (%s)%n", p.prefix.replace(".", ""), n, p.description);
            }
            System.out.printf("  %-16s %,14d%n", "total", total);
        }
        return 0;
    }
}
